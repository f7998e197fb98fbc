"""A worker's evidence log: entries, offline-safe writes, and the sync feed."""

from cpl.evidence.events import EntryChanged, EntryDeleted
from cpl.evidence.routes import EvidenceController, SyncController

__all__ = ["EntryChanged", "EntryDeleted", "EvidenceController", "SyncController"]
