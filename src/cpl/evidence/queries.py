"""Reading a worker's own entries: the filtered list, and the change feed phones sync from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from piccolo.columns.combination import WhereRaw

from cpl.db import like_literal
from cpl.errors import MalformedRequest
from cpl.evidence.records import ENTRY_COLUMNS
from cpl.evidence.tables import EvidenceEntry
from cpl.kernel.pagination import decode_cursor, encode_cursor


@dataclass(frozen=True)
class EntryFilters:
    occurred_from: date | None = None
    occurred_to: date | None = None
    kind: str | None = None
    activity_type: str | None = None
    tag: str | None = None
    #: Free text, matched case-insensitively inside title, description and reflection.
    text: str | None = None


def _filter_clauses(owner: UUID, filters: EntryFilters) -> list:
    clauses = [EvidenceEntry.owner == owner, EvidenceEntry.deleted_at.is_null()]
    if filters.occurred_from:
        clauses.append(EvidenceEntry.occurred_on >= filters.occurred_from)
    if filters.occurred_to:
        clauses.append(EvidenceEntry.occurred_on <= filters.occurred_to)
    if filters.kind:
        clauses.append(EvidenceEntry.kind == filters.kind)
    if filters.activity_type:
        clauses.append(EvidenceEntry.activity_type == filters.activity_type)
    if filters.tag:
        pattern = f"%\n{like_literal(filters.tag.strip())}\n%"
        clauses.append(WhereRaw("tag_index LIKE {} ESCAPE '\\'", pattern))
    if filters.text:
        clauses.append(WhereRaw("search_text LIKE {} ESCAPE '\\'", f"%{like_literal(filters.text)}%"))
    return clauses


def _encode_list_cursor(row: dict[str, Any]) -> str:
    return encode_cursor(row["occurred_on"].isoformat(), str(row["id"]))


def _decode_list_cursor(cursor: str) -> tuple[date, UUID]:
    occurred_on, entry_id = decode_cursor(cursor, 2)
    try:
        return date.fromisoformat(occurred_on), UUID(entry_id)
    except ValueError as error:
        raise MalformedRequest("The cursor is not one this service gave out.") from error


async def list_entries(
    owner: UUID, filters: EntryFilters, cursor: str | None, limit: int
) -> tuple[list[dict[str, Any]], str | None]:
    """The owner's live entries, most recent first, a page at a time (keyset pagination)."""
    clauses = _filter_clauses(owner, filters)
    if cursor:
        after_date, after_id = _decode_list_cursor(cursor)
        clauses.append(
            (EvidenceEntry.occurred_on < after_date)
            | ((EvidenceEntry.occurred_on == after_date) & (EvidenceEntry.id < after_id))
        )
    where = clauses[0]
    for clause in clauses[1:]:
        where = where & clause
    rows = (
        await EvidenceEntry.select(*ENTRY_COLUMNS)
        .where(where)
        .order_by(EvidenceEntry.occurred_on, EvidenceEntry.id, ascending=False)
        .limit(limit + 1)
        .output(load_json=True)
    )
    if len(rows) > limit:
        return rows[:limit], _encode_list_cursor(rows[limit - 1])
    return rows, None


def parse_sync_cursor(since: str | None) -> int:
    if not since:
        return 0
    if not since.isdigit() or len(since) > 18:
        raise MalformedRequest("The sync cursor is not one this service gave out.")
    return int(since)


async def changes_since(owner: UUID, since: int, limit: int) -> tuple[list[dict[str, Any]], int, bool]:
    """Every entry of the owner's that changed (or was deleted) after ``since``, oldest change first.

    An entry changed twice appears once, at its latest change; the returned cursor is the
    last change number on the page, so the next page starts exactly after it.
    """
    rows = (
        await EvidenceEntry.select(*ENTRY_COLUMNS)
        .where((EvidenceEntry.owner == owner) & (EvidenceEntry.change_seq > since))
        .order_by(EvidenceEntry.change_seq)
        .limit(limit + 1)
        .output(load_json=True)
    )
    has_more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1]["change_seq"] if rows else since), has_more
