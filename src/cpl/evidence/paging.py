"""Reading a worker's own entries a page at a time: the filtered list, and the change feed
phones sync from (their filters and cursors; the statements are in :mod:`.repository`)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from cpl.errors import Gone, MalformedRequest
from cpl.evidence import repository
from cpl.evidence.repository import EntryFilters
from cpl.kernel.pagination import decode_cursor, encode_cursor


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
    after = _decode_list_cursor(cursor) if cursor else None
    rows = await repository.owner_page(owner, filters, after, limit + 1)
    if len(rows) > limit:
        return rows[:limit], _encode_list_cursor(rows[limit - 1])
    return rows, None


def parse_sync_cursor(since: str | None) -> int:
    """The change number a sync cursor holds: ASCII digits only (``str.isdigit`` also takes ``²`` and ``١``)."""
    if not since:
        return 0
    if not (since.isascii() and since.isdigit()) or len(since) > 18:
        raise MalformedRequest("The sync cursor is not one this service gave out.")
    return int(since)


async def changes_since(owner: UUID, since: int, limit: int) -> tuple[list[dict[str, Any]], int, bool]:
    """Every entry of the owner's that changed (or was deleted) after ``since``, oldest change first.

    An entry changed twice appears once, at its latest change; the returned cursor is the
    last change number on the page, so the next page starts exactly after it. A cursor from
    before the newest tombstone retention removed (``tombstone_retention``) answers 410: that
    device may have missed a deletion, and must sync again from zero.
    """
    if since and since < await repository.tombstones_purged_through(owner):
        raise Gone(
            "Deletions older than this sync cursor are no longer kept: sync again from the start "
            "(no cursor) and replace this device's copy with what comes back."
        )
    rows = await repository.changed_after(owner, since, limit + 1)
    has_more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1]["change_seq"] if rows else since), has_more
