"""Every statement on the reminders tables (``reminder_settings``, ``reminder_sent``, ``calendar_feed``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any
from uuid import UUID

from piccolo.query.mixins import OnConflictAction

from cpl.db import Sql
from cpl.reminders.tables import CalendarFeed, ReminderCheck, ReminderSent, ReminderSettings

# Raw SQL: ``INSERT … ON CONFLICT DO NOTHING RETURNING`` (the builder cannot say it): the key is
# taken by exactly one transaction however many server processes try at once.
_CLAIM = Sql(
    "INSERT INTO reminder_sent (key, recipient, kind, sent_at) VALUES ({}, {}, {}, {}) "
    "ON CONFLICT (key) DO NOTHING RETURNING key"
)
_CHUNK = 500
# Raw SQL (bench.reminders, bench/RESULTS.md): which workers need judging is one set-based read over
# every registration, joined (read only) to their change counter and settings, with COALESCE across the
# LEFT JOINs — instead of judging 100,000 workers' records every run. It returns each worker's change
# counter and saved settings too (no further statement per batch for them). Keyset order on the owner
# column itself, the bound repeated in each join, and no GROUP BY (a worker on two registers comes twice,
# side by side, and is kept once by the caller): both databases read the indexes in order and stop at
# the limit — sorting or grouping every registration after the bound cost 100 ms (PostgreSQL) to
# 400 ms (SQLite) a batch at 100,000 workers. Owners come back as text (no converter on SQLite).
_TO_CHECK = Sql(
    "SELECT CAST(r.owner AS TEXT) AS owner, COALESCE(e.last_seq, 0) AS evidence_seq, "
    "s.days_before, s.email, s.in_app, s.time_zone, s.quiet_from, s.quiet_until FROM registration r "
    "LEFT JOIN reminder_check c ON c.owner = r.owner AND c.owner > {} "
    "LEFT JOIN evidence_change_counter e ON e.owner = r.owner AND e.owner > {} "
    "LEFT JOIN reminder_settings s ON s.owner = r.owner AND s.owner > {} "
    "WHERE r.owner > {} AND (c.owner IS NULL OR c.next_check_on <= {} "
    "OR COALESCE(e.last_seq, 0) > c.evidence_seq OR r.updated_at > c.checked_at "
    "OR COALESCE(s.updated_at, c.checked_at) > c.checked_at) "
    "ORDER BY r.owner LIMIT {}"
)
_TAKEN = "SELECT key FROM reminder_sent WHERE key IN "
#: Below every owner (a random UUID is never nil): the first batch starts after it.
FIRST = UUID(int=0)


async def settings_of(owners: list[UUID]) -> dict[UUID, dict[str, Any]]:
    """The stored settings of those owners who changed theirs (the others have the defaults)."""
    found: dict[UUID, dict[str, Any]] = {}
    for start in range(0, len(owners), _CHUNK):
        chunk = owners[start : start + _CHUNK]
        for row in await ReminderSettings.select().where(ReminderSettings.owner.is_in(chunk)):
            found[row["owner"]] = row
    return found


async def owners_to_check(after: UUID, day: date, limit: int) -> list[dict[str, Any]]:
    """The next ``limit`` workers (after ``after``, :data:`FIRST` for the first batch) with a registration
    that needs judging on ``day``: never judged, their check day come, or their evidence, a registration
    or their settings changed since. Each: ``owner`` (text), ``evidence_seq`` (their change counter)
    and their saved settings' columns (None when they saved none); each owner once, in order."""
    rows = await _TO_CHECK.rows(after, after, after, after, day, limit)
    return list({row["owner"]: row for row in rows}.values())


async def save_checks(checks: list[dict[str, Any]]) -> None:
    """Record when each worker is next judged (``owner``, ``next_check_on``, ``evidence_seq``, ``checked_at``).

    One upsert: two runs at once (two server processes) both recording a worker's check each leave
    one row (a delete then an insert let the second insert fail on the key)."""
    for start in range(0, len(checks), _CHUNK):
        rows = [ReminderCheck(**check) for check in checks[start : start + _CHUNK]]
        await ReminderCheck.insert(*rows).on_conflict(
            target=ReminderCheck.owner,
            action=OnConflictAction.do_update,
            values=[ReminderCheck.next_check_on, ReminderCheck.evidence_seq, ReminderCheck.checked_at],
        )


async def save_settings(owner: UUID, values: dict[str, Any], now: datetime) -> None:
    """Insert or replace the owner's settings (in the caller's write transaction)."""
    values = {**values, "updated_at": now}
    changed = (
        await ReminderSettings.update(values).where(ReminderSettings.owner == owner).returning(ReminderSettings.owner)
    )
    if not changed:
        await ReminderSettings.insert(ReminderSettings(owner=owner, **values))


async def claim(key: str, recipient: UUID, kind: str, now: datetime) -> bool:
    """Take the reminder's key (in the transaction that makes its notification): False when
    another run took it first."""
    return bool(await _CLAIM.rows(key, recipient, kind, now))


async def taken(keys: list[str]) -> set[str]:
    """Which of these keys were taken already (a cheap look before the work of sending)."""
    found: set[str] = set()
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        found.update(row["key"] for row in await Sql(_TAKEN + f"({', '.join('{}' for _ in chunk)})").rows(*chunk))
    return found


async def sent_to(recipient: UUID) -> list[dict[str, Any]]:
    return await ReminderSent.select().where(ReminderSent.recipient == recipient).order_by(ReminderSent.sent_at)


async def sent_kinds_before(kinds: list[str], day: date) -> list[dict[str, Any]]:
    """``key`` and ``kind`` of the reminders of these kinds sent before ``day`` (UTC)."""
    cutoff = datetime.combine(day, time.min, tzinfo=UTC)
    return await ReminderSent.select(ReminderSent.key, ReminderSent.kind).where(
        ReminderSent.kind.is_in(kinds) & (ReminderSent.sent_at < cutoff)
    )


async def delete_sent(keys: list[str]) -> int:
    """Delete these reminders' rows; how many went (another process purging at once may take some)."""
    gone = 0
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        gone += len(await ReminderSent.delete().where(ReminderSent.key.is_in(chunk)).returning(ReminderSent.key))
    return gone


async def save_feed(owner: UUID, token_hash: str, now: datetime) -> None:
    """The owner's feed now answers only to this token (an older one stops working)."""
    await CalendarFeed.delete().where(CalendarFeed.owner == owner)
    await ReminderCheck.delete().where(ReminderCheck.owner == owner)
    await CalendarFeed.insert(CalendarFeed(owner=owner, token_hash=token_hash, created_at=now))


async def delete_feed(owner: UUID) -> bool:
    return bool(await CalendarFeed.delete().where(CalendarFeed.owner == owner).returning(CalendarFeed.owner))


async def feed_owner(token_hash: str) -> UUID | None:
    row = await CalendarFeed.select(CalendarFeed.owner).where(CalendarFeed.token_hash == token_hash).first()
    return row["owner"] if row else None


async def feed_of(owner: UUID) -> dict[str, Any] | None:
    return await CalendarFeed.select(CalendarFeed.created_at).where(CalendarFeed.owner == owner).first()


async def erase(owner: UUID) -> None:
    """Everything this domain holds of the person."""
    await ReminderSettings.delete().where(ReminderSettings.owner == owner)
    await ReminderSent.delete().where(ReminderSent.recipient == owner)
    await CalendarFeed.delete().where(CalendarFeed.owner == owner)
    await ReminderCheck.delete().where(ReminderCheck.owner == owner)
