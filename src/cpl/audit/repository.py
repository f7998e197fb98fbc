"""Every statement on ``audit_event`` and ``audit_checkpoint`` (CONVENTIONS rule 14).

Appends are serialised so that no two events take the same place in the chain: on SQLite the
write transaction (``BEGIN IMMEDIATE``) already holds the database's one write lock; on
PostgreSQL each append first takes a transaction-scoped advisory lock
(``pg_advisory_xact_lock``), held until its transaction commits, so another process's append
waits, then reads the head this one wrote. (Raw SQL, reason 1: the builder cannot call it.)
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import nullcontext
from datetime import datetime
from typing import Any
from uuid import UUID

from cpl.audit.chain import GENESIS, event_hash
from cpl.audit.tables import AuditCheckpoint, AuditEvent
from cpl.db import Sql, in_transaction, on_postgres, write_transaction

#: The advisory lock key of the audit chain (any constant; "cpl-audit" as an integer).
CHAIN_LOCK = 0x63706C2D6175
_LOCK = Sql("SELECT pg_advisory_xact_lock({})")
CHUNK = 1000
#: Events per INSERT on SQLite (whose statements take at most 32,766 parameters), and per batch of
#: arrays on PostgreSQL: an admin's workforce CSV records one event per worker (10,000 of them).
INSERTED = 1000


async def lock_chain() -> None:
    """Hold the chain until the open transaction ends (PostgreSQL; SQLite's write transaction already does)."""
    if on_postgres():
        await _LOCK.rows(CHAIN_LOCK)


async def _head() -> tuple[int, str]:
    """The last event's sequence number and hash; after a purge of everything, the newest checkpoint's."""
    rows = await AuditEvent.select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq, ascending=False).limit(1)
    if rows:
        return rows[0]["seq"], rows[0]["hash"]
    checkpoint = await latest_checkpoint()
    return (checkpoint["seq"], checkpoint["head"]) if checkpoint else (0, GENESIS)


async def append(events: Sequence[dict[str, Any]]) -> None:
    """Append events (the table's columns but ``seq``, ``previous_hash`` and ``hash``) to the
    chain, in the caller's transaction if one is open (they commit with its change), else in their own."""
    if not events:
        return
    async with nullcontext() if in_transaction() else write_transaction():
        await lock_chain()
        seq, previous = await _head()
        rows = []
        for event in events:
            seq += 1
            row = {**event, "seq": seq, "previous_hash": previous}
            row["hash"] = previous = event_hash(row)
            rows.append(tuple(row[column] for column in _COLUMNS))
            if len(rows) == INSERTED:
                await _insert(rows)
                rows = []
        await _insert(rows)


#: Raw SQL (``src/cpl/README.md``, reason 2): the builder took 3.9 s to insert the 10,000 events of
#: one workforce CSV (issue 16: one per worker shown), mostly converting each value (bench.workforce).
_COLUMNS = (
    "seq",
    "occurred_at",
    "action",
    "outcome",
    "actor",
    "actor_pseudonym",
    "subject",
    "subject_pseudonym",
    "object",
    "request_id",
    "user_agent",
    "network",
    "detail",
    "previous_hash",
    "hash",
)
_INSERT = f"INSERT INTO audit_event ({', '.join(_COLUMNS)}) "
#: PostgreSQL: one array per column, one prepared statement whatever the number of events.
_TYPES = ("bigint", "timestamptz", "text", "text", "uuid", "text", "uuid", *["text"] * 8)
_INSERT_ON_POSTGRES = Sql(_INSERT + f"SELECT * FROM unnest({', '.join(f'{{}}::{kind}[]' for kind in _TYPES)})")


async def _insert(rows: list[tuple]) -> None:
    """Events as rows of :data:`_COLUMNS`, in one statement (at most :data:`INSERTED` of them)."""
    if not rows:
        return
    if on_postgres():
        await _INSERT_ON_POSTGRES.rows(*(list(column) for column in zip(*rows, strict=True)))
        return
    row = "(" + ", ".join(["{}"] * len(_COLUMNS)) + ")"
    await Sql(_INSERT + "VALUES " + ", ".join([row] * len(rows))).rows(*(value for values in rows for value in values))


async def chain_from(after: int) -> AsyncIterator[dict[str, Any]]:
    """Every event after sequence number ``after``, in chain order, read a chunk at a time."""
    while True:
        rows = await AuditEvent.select().where(AuditEvent.seq > after).order_by(AuditEvent.seq).limit(CHUNK)
        for row in rows:
            yield row
        if len(rows) < CHUNK:
            return
        after = rows[-1]["seq"]


async def first_seq() -> int | None:
    rows = await AuditEvent.select(AuditEvent.seq).order_by(AuditEvent.seq).limit(1)
    return rows[0]["seq"] if rows else None


async def head() -> tuple[int, str]:
    return await _head()


async def filtered(
    *,
    actor: UUID | None = None,
    subject: UUID | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """The newest events matching every filter given (``action`` may end in ``*`` for a prefix)."""
    query = AuditEvent.select().order_by(AuditEvent.seq, ascending=False).limit(limit)
    if actor is not None:
        query = query.where(AuditEvent.actor == actor)
    if subject is not None:
        query = query.where(AuditEvent.subject == subject)
    if action:
        query = query.where(
            AuditEvent.action.like(action[:-1] + "%") if action.endswith("*") else AuditEvent.action == action
        )
    if since is not None:
        query = query.where(AuditEvent.occurred_at >= since)
    if until is not None:
        query = query.where(AuditEvent.occurred_at < until)
    return await query


#: Raw SQL, reason 1 (a LEFT JOIN across domains, with COALESCE): the access log names the
#: actor, and ``cpl.audit`` cannot import ``cpl.accounts`` (which records into it). One statement
#: per page instead of one lookup per event.
_ACCESS = (
    "SELECT e.seq, e.occurred_at, e.action, e.object, e.detail, CAST(e.actor AS TEXT) AS actor, "
    "COALESCE(a.display_name, '') AS actor_name "
    "FROM audit_event e LEFT JOIN account a ON a.id = e.actor "
    "WHERE e.subject = {{}} AND e.action IN ({actions}) AND (e.actor IS NULL OR e.actor <> {{}}) {after}"
    "ORDER BY e.seq DESC LIMIT {{}}"
)


async def accesses(subject: UUID, actions: Sequence[str], before: int | None, limit: int) -> list[dict[str, Any]]:
    """Reads of ``subject``'s record by others, newest first, before sequence number ``before``."""
    placeholders = ", ".join("{}" for _ in actions)
    after = "AND e.seq < {} " if before is not None else ""
    text = _ACCESS.format(actions=placeholders, after=after)
    arguments: list[Any] = [subject, *actions, subject]
    if before is not None:
        arguments.append(before)
    return await Sql(text).rows(*arguments, limit)


async def about(account: UUID) -> list[dict[str, Any]]:
    """Every event naming ``account`` as actor or subject, oldest first."""
    return (
        await AuditEvent.select()
        .where((AuditEvent.actor == account) | (AuditEvent.subject == account))
        .order_by(AuditEvent.seq)
    )


async def forget_account(account: UUID) -> None:
    """Empty the account's id wherever it acts or is the subject (its pseudonyms stay hashed)."""
    await AuditEvent.update({AuditEvent.actor: None}).where(AuditEvent.actor == account)
    await AuditEvent.update({AuditEvent.subject: None}).where(AuditEvent.subject == account)


async def last_seq_before(cutoff: datetime) -> int | None:
    rows = (
        await AuditEvent.select(AuditEvent.seq)
        .where(AuditEvent.occurred_at < cutoff)
        .order_by(AuditEvent.seq, ascending=False)
        .limit(1)
    )
    return rows[0]["seq"] if rows else None


async def delete_through(seq: int) -> int:
    """Delete the events up to ``seq`` and the checkpoints before it; the count of events deleted."""
    gone = await AuditEvent.count().where(AuditEvent.seq <= seq)
    await AuditEvent.delete().where(AuditEvent.seq <= seq)
    await AuditCheckpoint.delete().where(AuditCheckpoint.seq < seq)
    return gone


async def add_checkpoint(seq: int, head_hash: str, signed_at: datetime, jws: str) -> None:
    await AuditCheckpoint.insert(AuditCheckpoint(seq=seq, head=head_hash, signed_at=signed_at, jws=jws))


async def latest_checkpoint() -> dict[str, Any] | None:
    return await AuditCheckpoint.select().order_by(AuditCheckpoint.seq, ascending=False).first()


async def checkpoint_at_or_before(seq: int) -> dict[str, Any] | None:
    return (
        await AuditCheckpoint.select()
        .where(AuditCheckpoint.seq <= seq)
        .order_by(AuditCheckpoint.seq, ascending=False)
        .first()
    )


async def oldest_checkpoint() -> dict[str, Any] | None:
    return await AuditCheckpoint.select().order_by(AuditCheckpoint.seq).first()


async def checkpoints(before: int | None, limit: int) -> list[dict[str, Any]]:
    """Checkpoints, newest first, before sequence number ``before`` when given."""
    query = AuditCheckpoint.select().order_by(AuditCheckpoint.seq, ascending=False).limit(limit)
    if before is not None:
        query = query.where(AuditCheckpoint.seq < before)
    return await query
