"""How an entry's content maps to its row, and a row back to what the API returns."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import msgspec

from cpl.evidence.schemas import EvidenceContent, EvidenceOut
from cpl.evidence.tables import EvidenceEntry

CONTENT_FIELDS = frozenset(EvidenceContent.model_fields)

#: Columns returned to the owner; ``deleted_at``/``change_seq`` serve sync, the rest is the entry.
ENTRY_COLUMNS = (
    EvidenceEntry.id,
    EvidenceEntry.owner,
    EvidenceEntry.kind,
    EvidenceEntry.title,
    EvidenceEntry.occurred_on,
    EvidenceEntry.ended_on,
    EvidenceEntry.duration_minutes,
    EvidenceEntry.participatory,
    EvidenceEntry.activity_type,
    EvidenceEntry.description,
    EvidenceEntry.reflection,
    EvidenceEntry.tags,
    EvidenceEntry.content_hash,
    EvidenceEntry.version,
    EvidenceEntry.change_seq,
    EvidenceEntry.created_at,
    EvidenceEntry.updated_at,
    EvidenceEntry.deleted_at,
)


def _hash_of(dumped: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(dumped, sort_keys=True).encode()).hexdigest()


def content_hash(content: EvidenceContent) -> str:
    """SHA-256 of the content in canonical JSON: equal for a replay of the same request."""
    return _hash_of(content.model_dump(mode="json", include=CONTENT_FIELDS))


def content_columns(content: EvidenceContent) -> dict[str, Any]:
    """The row's columns for this content, with the search and tag indexes derived from it.

    One JSON-mode dump serves both the columns and :func:`content_hash` (every write runs this).
    """
    dumped = content.model_dump(mode="json", include=CONTENT_FIELDS)
    values = {**dumped, "occurred_on": content.occurred_on, "ended_on": content.ended_on}
    searchable = [content.title, content.description, *values["reflection"].values()]
    values["search_text"] = "\n".join(searchable).lower()
    values["tag_index"] = "".join(f"\n{tag.lower()}" for tag in content.tags) + "\n" if content.tags else ""
    values["content_hash"] = _hash_of(dumped)
    return values


def content_of(row: dict[str, Any]) -> dict[str, Any]:
    """The worker-written part of a stored row, as it would arrive in a request body."""
    return entry_out(row).model_dump(mode="json", include=CONTENT_FIELDS)


_OUT_FIELDS = tuple(EvidenceOut.model_fields)


def entry_out(row: dict[str, Any]) -> EvidenceOut:
    return EvidenceOut.model_validate({name: row[name] for name in _OUT_FIELDS})


def entry_json(row: dict[str, Any]) -> bytes:
    """``entry_out(row)`` as JSON, byte for byte, without building the model: every write
    answers with it (msgspec encodes the row's UUIDs, dates and UTC times as pydantic does)."""
    return msgspec.json.encode({name: row[name] for name in _OUT_FIELDS})
