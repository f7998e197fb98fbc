"""The write path's statements, in SQL written once.

Every ``PUT`` runs these, so they are plain SQL (:class:`cpl.db.Sql`) rather than
Piccolo's query builder, which rebuilt each statement's SQL on every call (about 1 ms of
CPU for the 18-column entry select: profiled in bench/RESULTS.md). The rows they return have
the same keys and types as ``EvidenceEntry.select(*ENTRY_COLUMNS).output(load_json=True)``.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import msgspec

from cpl.db import Sql, on_postgres, write_transaction
from cpl.evidence.records import ENTRY_COLUMNS

_SELECTED = ", ".join(column._meta.db_column_name for column in ENTRY_COLUMNS)
_JSON_COLUMNS = ("reflection", "tags")
#: A new entry's columns as :func:`create_entry_row` receives them; ``change_seq`` comes after.
_NEW_ROW_COLUMNS = (
    "id", "owner", "kind", "title", "occurred_on", "ended_on", "duration_minutes", "participatory",
    "activity_type", "description", "reflection", "tags", "search_text", "tag_index", "content_hash",
    "version", "created_at", "updated_at", "deleted_at",
)  # fmt: skip
_INSERT_INTO = f"INSERT INTO evidence_entry ({', '.join(_NEW_ROW_COLUMNS)}, change_seq)"
_NEW_ROW_VALUES = ", ".join("{}" for _ in _NEW_ROW_COLUMNS)

_SELECT_ENTRY = Sql(f"SELECT {_SELECTED} FROM evidence_entry WHERE id = {{}}")
_NEXT_CHANGE_SEQ_SQL = (
    "INSERT INTO evidence_change_counter (owner, last_seq) VALUES ({}, 1) "
    "ON CONFLICT (owner) DO UPDATE SET last_seq = evidence_change_counter.last_seq + 1 "
    "RETURNING last_seq"
)
_NEXT_CHANGE_SEQ = Sql(_NEXT_CHANGE_SEQ_SQL)
_INSERT_ENTRY = Sql(f"{_INSERT_INTO} VALUES ({_NEW_ROW_VALUES}, {{}}) ON CONFLICT (id) DO NOTHING RETURNING id")
#: PostgreSQL only: the change number and the new entry in one autocommit statement.
_TAKE_SEQ_AND_INSERT = Sql(
    f"WITH seq AS ({_NEXT_CHANGE_SEQ_SQL}) {_INSERT_INTO} VALUES ({_NEW_ROW_VALUES}, (SELECT last_seq FROM seq)) "
    "ON CONFLICT (id) DO NOTHING RETURNING change_seq"
)


async def next_change_seq(owner: UUID) -> int:
    """Take the owner's next change number; holds the owner's counter row until commit."""
    rows = await _NEXT_CHANGE_SEQ.rows(owner)
    return int(rows[0]["last_seq"])


async def stored_entry(entry_id: UUID) -> dict[str, Any] | None:
    """The entry with this id, whoever owns it, tombstones included."""
    rows = await _SELECT_ENTRY.rows(entry_id)
    if not rows:
        return None
    row = rows[0]
    for name in _JSON_COLUMNS:
        row[name] = json.loads(row[name])
    return row


def _parameters(row: dict[str, Any]) -> list[Any]:
    """The statement's arguments; JSON columns encoded by msgspec (compact, several times faster
    than ``json.dumps``)."""
    return [
        msgspec.json.encode(row[name]).decode() if name in _JSON_COLUMNS else row[name] for name in _NEW_ROW_COLUMNS
    ]


async def insert_entry(row: dict[str, Any]) -> bool:
    """Insert the row (its ``change_seq`` already taken) unless its id exists; whether it did."""
    return bool(await _INSERT_ENTRY.rows(*_parameters(row), row["change_seq"]))


async def create_entry_row(row: dict[str, Any]) -> dict[str, Any] | None:
    """Take the owner's next change number and insert the row with it, unless the id exists.

    The row (without ``change_seq``) comes back completed, or None when the id is taken and
    nothing was written. On PostgreSQL this is one autocommit statement, whose counter
    upsert holds the owner's counter row until it commits, as a write transaction would;
    elsewhere it is the two statements in a write transaction.
    """
    if on_postgres():
        rows = await _TAKE_SEQ_AND_INSERT.rows(row["owner"], *_parameters(row))
        return {**row, "change_seq": rows[0]["change_seq"]} if rows else None
    async with write_transaction():
        completed = {**row, "change_seq": await next_change_seq(row["owner"])}
        return completed if await insert_entry(completed) else None
