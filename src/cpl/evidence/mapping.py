"""How an entry's content maps to its row, and a row back to what the API answers.

:func:`entry_document` is the one encoder of an entry: every answer that holds one (a write's,
``GET``, the list, batches, sync, shared views, idempotent replays) is encoded by msgspec from it.
msgspec writes the row's UUIDs, dates and UTC times exactly as pydantic writes ``EvidenceOut``,
which stays the schema the OpenAPI document shows.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import msgspec

from cpl.evidence.schemas import EvidenceContent, EvidenceOut

CONTENT_FIELDS = frozenset(EvidenceContent.model_fields)
_OUT_FIELDS = tuple(EvidenceOut.model_fields)


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
    return msgspec.to_builtins({name: row[name] for name in CONTENT_FIELDS})


def entry_document(row: dict[str, Any]) -> dict[str, Any]:
    """The entry as the API answers it (``EvidenceOut``'s fields, in its order), for msgspec."""
    return {name: row[name] for name in _OUT_FIELDS}


def entry_json(row: dict[str, Any]) -> bytes:
    """The answer to a request for one entry."""
    return msgspec.json.encode(entry_document(row))


def answer_json(document: Any) -> bytes:
    """An answer holding entries (each an :func:`entry_document`) and plain values."""
    return msgspec.json.encode(document)
