"""A worker's evidence log: entries, offline-safe writes, and the sync feed."""

from cpl.evidence.events import EntriesSaved, EntryDeleted
from cpl.evidence.idempotency import erase_stored_responses
from cpl.evidence.routes import EvidenceController, SyncController
from cpl.evidence.service import entries_data, erase_entries, written_ids

__all__ = [
    "EntriesSaved",
    "EntryDeleted",
    "EvidenceController",
    "SyncController",
    "entries_data",
    "erase_entries",
    "erase_stored_responses",
    "written_ids",
]
