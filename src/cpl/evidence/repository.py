"""Every statement on ``evidence_entry`` and ``evidence_change_counter``.

The one module that reads or writes these tables; other modules and domains call it (rule 14 of
the conventions, ``src/cpl/README.md``). The query builder is the default. Raw SQL here, through
:class:`cpl.db.Sql` or ``WhereRaw``, each for the reason written beside it.

JSON columns are written one way, by :func:`encode_json_column` (compact msgspec), on insert,
change and erase alike, so the text stored for equal values is always the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from uuid import UUID

import msgspec
from piccolo.columns.combination import WhereRaw

from cpl.db import Sql, like_literal, on_postgres, write_transaction
from cpl.evidence.tables import EvidenceChangeCounter, EvidenceEntry

#: Columns every read of a whole entry returns; ``deleted_at``/``change_seq`` serve sync.
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
_JSON_COLUMNS = ("reflection", "tags")


def encode_json_column(value: Any) -> str:
    """The text a JSON column stores for ``value`` (compact, several times faster than ``json.dumps``)."""
    return msgspec.json.encode(value).decode()


def _decoded(row: dict[str, Any]) -> dict[str, Any]:
    for name in _JSON_COLUMNS:
        row[name] = msgspec.json.decode(row[name])
    return row


# --- The write path --------------------------------------------------------------------------
# Raw SQL: every PUT runs these. The builder rebuilt a statement's SQL on every call (about 1 ms
# of CPU for the 18-column select, bench/RESULTS.md), and cannot express a data-modifying CTE,
# which makes a PUT one round trip on PostgreSQL.

_SELECTED = ", ".join(column._meta.db_column_name for column in ENTRY_COLUMNS)
_CONTENT_COLUMNS = (
    "kind", "title", "occurred_on", "ended_on", "duration_minutes", "participatory", "activity_type",
    "description", "reflection", "tags", "search_text", "tag_index", "content_hash",
)  # fmt: skip
#: A written row's columns, as :func:`save` receives them, then ``change_seq``.
_ROW_COLUMNS = ("id", "owner", *_CONTENT_COLUMNS, "version", "created_at", "updated_at", "deleted_at")
_INSERT_INTO = f"INSERT INTO evidence_entry ({', '.join(_ROW_COLUMNS)}, change_seq)"
_ROW_VALUES = ", ".join("{}" for _ in _ROW_COLUMNS)
#: An existing entry takes the new content only when it is the writer's, live, different, and
#: at the version the writer last saw (``If-Match``; none matches nothing).
_OR_CHANGE = (
    "ON CONFLICT (id) DO UPDATE SET "
    + ", ".join(f"{name} = excluded.{name}" for name in _CONTENT_COLUMNS)
    + ", version = evidence_entry.version + 1, change_seq = excluded.change_seq, updated_at = excluded.updated_at "
    "WHERE evidence_entry.owner = excluded.owner AND evidence_entry.deleted_at IS NULL "
    "AND evidence_entry.content_hash <> excluded.content_hash AND evidence_entry.version = {} "
    f"RETURNING {_SELECTED}"
)
_NEXT_CHANGE_SEQ = (
    "ON CONFLICT (owner) DO UPDATE SET last_seq = evidence_change_counter.last_seq + 1 RETURNING last_seq"
)
#: PostgreSQL: the change number is taken (locking the owner's counter row until commit, which
#: orders the owner's commits as their numbers) only when the entry is to be created or
#: changed; then the entry is written with it; an entry left as it was is returned as stored.
_SAVE_ON_POSTGRES = Sql(
    "WITH seq AS (INSERT INTO evidence_change_counter (owner, last_seq) SELECT {}, 1 WHERE NOT EXISTS ("
    "SELECT 1 FROM evidence_entry WHERE id = {} AND (owner <> {} OR deleted_at IS NOT NULL "
    f"OR content_hash = {{}} OR version IS DISTINCT FROM {{}})) {_NEXT_CHANGE_SEQ}), "
    f"written AS ({_INSERT_INTO} SELECT {_ROW_VALUES}, last_seq FROM seq {_OR_CHANGE}) "
    f"SELECT {_SELECTED}, TRUE AS written FROM written UNION ALL "
    f"SELECT {_SELECTED}, FALSE FROM evidence_entry WHERE id = {{}} AND NOT EXISTS (SELECT 1 FROM written)"
)
#: SQLite (inside a write transaction, so nothing moves the counter meanwhile): the entry is
#: written with the owner's next change number, which :data:`_SET_COUNTER` then records.
_SAVE_ON_SQLITE = Sql(
    f"{_INSERT_INTO} VALUES ({_ROW_VALUES}, "
    "COALESCE((SELECT last_seq FROM evidence_change_counter WHERE owner = {}), 0) + 1) " + _OR_CHANGE
)
_SET_COUNTER = Sql(
    "INSERT INTO evidence_change_counter (owner, last_seq) VALUES ({}, {}) "
    "ON CONFLICT (owner) DO UPDATE SET last_seq = excluded.last_seq"
)
_TAKE_CHANGE_SEQ = Sql(f"INSERT INTO evidence_change_counter (owner, last_seq) VALUES ({{}}, 1) {_NEXT_CHANGE_SEQ}")
_SELECT_ENTRY = Sql(f"SELECT {_SELECTED} FROM evidence_entry WHERE id = {{}}")


def _with_content_of(row: dict[str, Any], written: dict[str, Any]) -> dict[str, Any]:
    """The written row, its JSON columns taken from what was written rather than parsed back."""
    for name in _JSON_COLUMNS:
        written[name] = row[name]
    return written


def _row_values(row: dict[str, Any]) -> list[Any]:
    return [encode_json_column(row[name]) if name in _JSON_COLUMNS else row[name] for name in _ROW_COLUMNS]


async def save(row: dict[str, Any], if_match: int | None) -> tuple[bool, dict[str, Any]] | None:
    """Create the entry, or give the stored one the row's content (see :data:`_OR_CHANGE`).

    ``(True, the row as written)``; ``(False, the row as stored)`` when it was left as it was;
    None when the id was taken concurrently by a writer this statement did not see (look
    again). One statement on PostgreSQL; on SQLite two in one write transaction.
    """
    entry_id, owner = row["id"], row["owner"]
    if on_postgres():
        found = await _SAVE_ON_POSTGRES.rows(
            owner, entry_id, owner, row["content_hash"], if_match, *_row_values(row), if_match, entry_id
        )
        if not found:
            return None
        stored = found[0]
        if stored.pop("written"):
            return True, _with_content_of(row, stored)
        return False, _decoded(stored)
    async with write_transaction():
        found = await _SAVE_ON_SQLITE.rows(*_row_values(row), owner, if_match)
        if found:
            await _SET_COUNTER.rows(owner, found[0]["change_seq"])
            return True, _with_content_of(row, found[0])
        stored = await entry_by_id(entry_id)
        return (False, stored) if stored is not None else None


# --- Batches: a few statements for up to 100 entries --------------------------------------------
# Raw SQL: a batch is judged in Python from one read, then written by one multi-row upsert (the
# builder cannot express ``ON CONFLICT … DO UPDATE … WHERE … RETURNING``); one statement per entry
# cost ~1.1 ms of CPU each (bench.scale, "Batch ingest").

#: Locks the owner's counter row (made if need be) until commit, before the batch's entries are
#: read: every writer of the owner's entries takes it first (:data:`_SAVE_ON_POSTGRES`,
#: :func:`take_change_seq`), so what is read stays as read, and no two writers wait on each other
#: in opposite orders. It reads the owner's latest change number.
_LOCK_COUNTER = Sql(
    "INSERT INTO evidence_change_counter (owner, last_seq) VALUES ({}, 0) "
    "ON CONFLICT (owner) DO UPDATE SET last_seq = evidence_change_counter.last_seq RETURNING last_seq"
)
_SELECT_COUNTER = Sql("SELECT last_seq FROM evidence_change_counter WHERE owner = {}")
#: Each row carries the version it is to have: 1 for a creation, the stored one + 1 for a change;
#: a row taken meanwhile by another owner, or changed meanwhile, is left alone (and not returned).
_OR_CHANGE_AT_VERSION = (
    "ON CONFLICT (id) DO UPDATE SET "
    + ", ".join(f"{name} = excluded.{name}" for name in _CONTENT_COLUMNS)
    + ", version = excluded.version, change_seq = excluded.change_seq, updated_at = excluded.updated_at "
    "WHERE evidence_entry.owner = excluded.owner AND evidence_entry.deleted_at IS NULL "
    "AND evidence_entry.content_hash <> excluded.content_hash AND evidence_entry.version = excluded.version - 1 "
    f"RETURNING {_SELECTED}"
)
_PG_TYPES = {
    "id": "uuid", "owner": "uuid", "occurred_on": "date", "ended_on": "date", "duration_minutes": "int4",
    "participatory": "bool", "reflection": "json", "tags": "json", "version": "int4", "created_at": "timestamptz",
    "updated_at": "timestamptz", "deleted_at": "timestamptz", "change_seq": "int8",
}  # fmt: skip
_BATCH_COLUMNS = (*_ROW_COLUMNS, "change_seq")
#: PostgreSQL: one statement whatever the batch's size (one array per column), the counter set to
#: the batch's last number in it. JSON columns travel as text arrays (asyncpg has no json[] codec).
_WRITE_BATCH_ON_POSTGRES = Sql(
    "WITH counted AS (UPDATE evidence_change_counter SET last_seq = {} WHERE owner = {}), "
    f"written AS ({_INSERT_INTO} SELECT "
    + ", ".join(f"CAST({name} AS json)" if name in _JSON_COLUMNS else name for name in _BATCH_COLUMNS)
    + " FROM unnest("
    + ", ".join(
        "CAST({} AS text[])" if name in _JSON_COLUMNS else f"CAST({{}} AS {_PG_TYPES.get(name, 'text')}[])"
        for name in _BATCH_COLUMNS
    )
    + f") AS batch ({', '.join(_BATCH_COLUMNS)}) {_OR_CHANGE_AT_VERSION}) SELECT * FROM written"
)


_ENTRIES_ON_POSTGRES = Sql(f"SELECT {_SELECTED} FROM evidence_entry WHERE id = ANY({{}})")


@lru_cache(maxsize=128)
def _entries_on_sqlite(count: int) -> Sql:
    return Sql(f"SELECT {_SELECTED} FROM evidence_entry WHERE id IN ({', '.join('{}' for _ in range(count))})")


@lru_cache(maxsize=128)
def _write_batch_on_sqlite(count: int) -> Sql:
    values = ", ".join(f"({_ROW_VALUES}, {{}})" for _ in range(count))
    return Sql(f"{_INSERT_INTO} VALUES {values} {_OR_CHANGE_AT_VERSION}")


async def lock_counter(owner: UUID) -> int:
    """Hold the owner's change counter until commit (call first in a write transaction); the
    owner's latest change number. SQLite's write transaction holds the whole database already."""
    if on_postgres():
        return int((await _LOCK_COUNTER.rows(owner))[0]["last_seq"])
    rows = await _SELECT_COUNTER.rows(owner)
    return int(rows[0]["last_seq"]) if rows else 0


async def entries_for_batch(entry_ids: list[UUID]) -> dict[UUID, dict[str, Any]]:
    """Entry id → the stored entry, whoever owns it, tombstones included, for those that exist."""
    if on_postgres():
        rows = await _ENTRIES_ON_POSTGRES.rows(entry_ids)
    else:
        rows = await _entries_on_sqlite(len(entry_ids)).rows(*entry_ids)
    return {row["id"]: _decoded(row) for row in rows}


async def save_batch(owner: UUID, rows: list[dict[str, Any]], last_seq: int) -> dict[UUID, dict[str, Any]]:
    """Write the rows (each with its ``version`` and ``change_seq``; the owner's counter locked by
    :func:`lock_counter`) and set the counter to ``last_seq``: entry id → the row as written.

    A row missing from the answer was not written (taken or changed by another writer meanwhile).
    """
    values = [[*_row_values(row), row["change_seq"]] for row in rows]
    if on_postgres():
        columns = [list(column) for column in zip(*values, strict=True)]
        written = await _WRITE_BATCH_ON_POSTGRES.rows(last_seq, owner, *columns)
    else:
        written = await _write_batch_on_sqlite(len(rows)).rows(*(value for row in values for value in row))
        await _SET_COUNTER.rows(owner, last_seq)
    by_id = {row["id"]: row for row in rows}
    return {found["id"]: _with_content_of(by_id[found["id"]], found) for found in written}


async def entry_by_id(entry_id: UUID) -> dict[str, Any] | None:
    """The entry with this id, whoever owns it, tombstones included."""
    rows = await _SELECT_ENTRY.rows(entry_id)
    return _decoded(rows[0]) if rows else None


async def take_change_seq(owner: UUID) -> int:
    """Take the owner's next change number; holds the owner's counter row until commit."""
    rows = await _TAKE_CHANGE_SEQ.rows(owner)
    return int(rows[0]["last_seq"])


async def erase(entry_id: UUID, version: int, change_seq: int, now: datetime) -> None:
    """Leave a tombstone: the content cleared, the deletion stamped with its change number."""
    await EvidenceEntry.update(
        {
            EvidenceEntry.title: "",
            EvidenceEntry.description: "",
            EvidenceEntry.reflection: encode_json_column({}),
            EvidenceEntry.tags: encode_json_column([]),
            EvidenceEntry.search_text: "",
            EvidenceEntry.tag_index: "",
            EvidenceEntry.duration_minutes: 0,
            EvidenceEntry.content_hash: "",
            EvidenceEntry.version: version,
            EvidenceEntry.change_seq: change_seq,
            EvidenceEntry.updated_at: now,
            EvidenceEntry.deleted_at: now,
        }
    ).where(EvidenceEntry.id == entry_id)


# --- The owner's reads: the filtered list and the sync feed -----------------------------------


@dataclass(frozen=True)
class EntryFilters:
    occurred_from: date | None = None
    occurred_to: date | None = None
    kind: str | None = None
    activity_type: str | None = None
    tag: str | None = None
    #: Free text, matched case-insensitively inside title, description and reflection.
    text: str | None = None


def _owner_list_clauses(owner: UUID, filters: EntryFilters, after: tuple[date, UUID] | None) -> list:
    clauses = [EvidenceEntry.owner == owner, EvidenceEntry.deleted_at.is_null()]
    if filters.occurred_from:
        clauses.append(EvidenceEntry.occurred_on >= filters.occurred_from)
    if filters.occurred_to:
        clauses.append(EvidenceEntry.occurred_on <= filters.occurred_to)
    if filters.kind:
        clauses.append(EvidenceEntry.kind == filters.kind)
    if filters.activity_type:
        clauses.append(EvidenceEntry.activity_type == filters.activity_type)
    # WhereRaw: the builder's ``like`` cannot say ``ESCAPE``, which keeps ``%`` and ``_`` literal.
    if filters.tag:
        pattern = f"%\n{like_literal(filters.tag.strip())}\n%"
        clauses.append(WhereRaw("tag_index LIKE {} ESCAPE '\\'", pattern))
    if filters.text:
        clauses.append(WhereRaw("search_text LIKE {} ESCAPE '\\'", f"%{like_literal(filters.text)}%"))
    if after is not None:
        after_date, after_id = after
        clauses.append(
            (EvidenceEntry.occurred_on < after_date)
            | ((EvidenceEntry.occurred_on == after_date) & (EvidenceEntry.id < after_id))
        )
    return clauses


async def owner_page(
    owner: UUID, filters: EntryFilters, after: tuple[date, UUID] | None, limit: int
) -> list[dict[str, Any]]:
    """Up to ``limit`` of the owner's live entries matching ``filters``,
    most recent first, after the ``(occurred_on, id)`` given."""
    return (
        await EvidenceEntry.select(*ENTRY_COLUMNS)
        .where(*_owner_list_clauses(owner, filters, after))
        .order_by(EvidenceEntry.occurred_on, EvidenceEntry.id, ascending=False)
        .limit(limit)
        .output(load_json=True)
    )


async def changed_after(owner: UUID, since: int, limit: int) -> list[dict[str, Any]]:
    """Up to ``limit`` of the owner's entries (tombstones included) changed after ``since``, in
    the order of their change numbers."""
    return (
        await EvidenceEntry.select(*ENTRY_COLUMNS)
        .where((EvidenceEntry.owner == owner) & (EvidenceEntry.change_seq > since))
        .order_by(EvidenceEntry.change_seq)
        .limit(limit)
        .output(load_json=True)
    )


async def owner_entries_between(owner: UUID, starts: date | None, ends: date | None) -> list[dict[str, Any]]:
    """The owner's live entries whose learning happened between the dates (either may be open),
    oldest first."""
    clauses = [EvidenceEntry.owner == owner, EvidenceEntry.deleted_at.is_null()]
    if starts:
        clauses.append(EvidenceEntry.occurred_on >= starts)
    if ends:
        clauses.append(EvidenceEntry.occurred_on <= ends)
    return (
        await EvidenceEntry.select(*ENTRY_COLUMNS)
        .where(*clauses)
        .order_by(EvidenceEntry.occurred_on, EvidenceEntry.id)
        .output(load_json=True)
    )


# --- Reads for other domains -------------------------------------------------------------------


async def entries_by_ids(entry_ids: list[UUID]) -> list[dict[str, Any]]:
    """The entries with these ids, whoever owns them, tombstones included, in no set order."""
    if not entry_ids:
        return []
    return await EvidenceEntry.select(*ENTRY_COLUMNS).where(EvidenceEntry.id.is_in(entry_ids)).output(load_json=True)


async def live_ids_of(owner: UUID, entry_ids: list[UUID]) -> set[UUID]:
    """Which of these ids are live entries of the owner's."""
    if not entry_ids:
        return set()
    rows = await EvidenceEntry.select(EvidenceEntry.id).where(
        EvidenceEntry.id.is_in(entry_ids), EvidenceEntry.owner == owner, EvidenceEntry.deleted_at.is_null()
    )
    return {row["id"] for row in rows}


async def owners_of(entry_ids: list[UUID]) -> dict[UUID, UUID]:
    """Entry id → its owner, for those of these ids that exist (tombstones included)."""
    if not entry_ids:
        return {}
    rows = await EvidenceEntry.select(EvidenceEntry.id, EvidenceEntry.owner).where(EvidenceEntry.id.is_in(entry_ids))
    return {row["id"]: row["owner"] for row in rows}


async def live_content_hashes(entry_ids: list[UUID]) -> dict[UUID, str]:
    """Entry id → its content hash, for those of these ids that are live entries."""
    if not entry_ids:
        return {}
    rows = await EvidenceEntry.select(EvidenceEntry.id, EvidenceEntry.content_hash).where(
        EvidenceEntry.id.is_in(entry_ids) & EvidenceEntry.deleted_at.is_null()
    )
    return {row["id"]: row["content_hash"] for row in rows}


async def change_counters(owners: list[UUID]) -> dict[UUID, int]:
    """Each owner's change counter, the number of their latest change (0: never wrote)."""
    if not owners:
        return {}
    rows = await EvidenceChangeCounter.select(EvidenceChangeCounter.owner, EvidenceChangeCounter.last_seq).where(
        EvidenceChangeCounter.owner.is_in(owners)
    )
    found = {row["owner"]: row["last_seq"] for row in rows}
    return {owner: found.get(owner, 0) for owner in owners}


# Raw SQL: the rules read thousands of summaries per request. Ids, dates and the reflection are
# read as text and parsed by the caller: the same SQL on both databases, and several times faster
# on SQLite than its per-value type converters (bench.requirements, bench/RESULTS.md).
_SUMMARY_COLUMNS = (
    "SELECT CAST(id AS TEXT) AS id, kind, title, CAST(occurred_on AS TEXT) AS occurred_on, "
    "CAST(COALESCE(ended_on, occurred_on) AS TEXT) AS ends_on, duration_minutes, "
    "CAST(participatory AS INTEGER) AS participatory, activity_type, CAST(reflection AS TEXT) AS reflection"
)
_OWNERS_LIVE_SUMMARIES = (
    f"{_SUMMARY_COLUMNS}, CAST(owner AS TEXT) AS owner FROM evidence_entry "
    "WHERE deleted_at IS NULL AND COALESCE(ended_on, occurred_on) >= {} AND owner IN "
)
_CHANGED_SUMMARIES = Sql(
    f"{_SUMMARY_COLUMNS}, CASE WHEN deleted_at IS NULL THEN 0 ELSE 1 END AS deleted FROM evidence_entry "
    "WHERE owner = {} AND change_seq > {}"
)
_DETAILS = (
    "SELECT CAST(id AS TEXT) AS id, description, CAST(reflection AS TEXT) AS reflection "
    "FROM evidence_entry WHERE owner = {} AND deleted_at IS NULL AND id IN "
)
_CHUNK = 500


async def live_summary_rows_of(owners: list[UUID], ends_from: date) -> list[Mapping[str, Any]]:
    """Several owners' live entries ending on or after ``ends_from``, each row with its ``owner``
    (as text), read only: one statement per 500 owners (reminders read 100,000 workers' records,
    bench.reminders)."""
    rows: list[Mapping[str, Any]] = []
    for start in range(0, len(owners), _CHUNK):
        chunk = owners[start : start + _CHUNK]
        rows += await Sql(_OWNERS_LIVE_SUMMARIES + f"({', '.join('{}' for _ in chunk)})").records(ends_from, *chunk)
    return rows


async def changed_summary_rows(owner: UUID, after_seq: int) -> list[dict[str, Any]]:
    """The owner's entries changed after ``after_seq``, tombstones marked ``deleted``."""
    return await _CHANGED_SUMMARIES.rows(owner, after_seq)


async def live_details(owner: UUID, entry_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Entry id (text) → ``{id, description, reflection}`` of these live entries of the owner's."""
    found = {}
    for start in range(0, len(entry_ids), _CHUNK):
        chunk = [UUID(entry_id) for entry_id in entry_ids[start : start + _CHUNK]]
        rows = await Sql(_DETAILS + f"({', '.join('{}' for _ in chunk)})").rows(owner, *chunk)
        found.update({row["id"]: {**row, "reflection": msgspec.json.decode(row["reflection"])} for row in rows})
    return found


async def erase_owner(owner: UUID) -> None:
    """Every entry of the owner, live or a deletion tombstone, and their change counter go (erasure).

    Rows keyed to the entries in other domains (files, links, reviews, shares) are removed by
    those domains' handlers first, and by the foreign keys' cascades in any case."""
    await EvidenceEntry.delete().where(EvidenceEntry.owner == owner)
    await EvidenceChangeCounter.delete().where(EvidenceChangeCounter.owner == owner)


async def purge_tombstones(deleted_before: datetime) -> int:
    """Remove the deletion tombstones older than ``deleted_before`` (retention), remembering per owner
    the highest change number removed, so a sync from before it is told to start again."""
    async with write_transaction():
        rows = (
            await EvidenceEntry.delete()
            .where(EvidenceEntry.deleted_at.is_not_null() & (EvidenceEntry.deleted_at < deleted_before))
            .returning(EvidenceEntry.owner, EvidenceEntry.change_seq)
        )
        highest: dict[UUID, int] = {}
        for row in rows:
            highest[row["owner"]] = max(highest.get(row["owner"], 0), row["change_seq"])
        for owner, seq in highest.items():
            await EvidenceChangeCounter.update({EvidenceChangeCounter.tombstones_purged_through: seq}).where(
                (EvidenceChangeCounter.owner == owner) & (EvidenceChangeCounter.tombstones_purged_through < seq)
            )
    return len(rows)


async def tombstones_purged_through(owner: UUID) -> int:
    row = (
        await EvidenceChangeCounter.select(EvidenceChangeCounter.tombstones_purged_through)
        .where(EvidenceChangeCounter.owner == owner)
        .first()
    )
    return row["tombstones_purged_through"] if row else 0


async def all_entries_of(owner: UUID) -> list[dict[str, Any]]:
    return (
        await EvidenceEntry.select(*ENTRY_COLUMNS)
        .where(EvidenceEntry.owner == owner)
        .order_by(EvidenceEntry.change_seq)
        .output(load_json=True)
    )
