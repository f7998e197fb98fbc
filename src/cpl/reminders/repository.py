"""Every statement on the reminders tables (``reminder_settings``, ``reminder_sent``, ``calendar_feed``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from cpl.db import Sql
from cpl.reminders.tables import CalendarFeed, ReminderSent, ReminderSettings

# Raw SQL: ``INSERT … ON CONFLICT DO NOTHING RETURNING`` (the builder cannot say it): the key is
# taken by exactly one transaction however many server processes try at once.
_CLAIM = Sql(
    "INSERT INTO reminder_sent (key, recipient, kind, sent_at) VALUES ({}, {}, {}, {}) "
    "ON CONFLICT (key) DO NOTHING RETURNING key"
)
_CHUNK = 500


async def settings_of(owners: list[UUID]) -> dict[UUID, dict[str, Any]]:
    """The stored settings of those owners who changed theirs (the others have the defaults)."""
    found: dict[UUID, dict[str, Any]] = {}
    for start in range(0, len(owners), _CHUNK):
        chunk = owners[start : start + _CHUNK]
        for row in await ReminderSettings.select().where(ReminderSettings.owner.is_in(chunk)):
            found[row["owner"]] = row
    return found


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
        found.update(
            row["key"] for row in await ReminderSent.select(ReminderSent.key).where(ReminderSent.key.is_in(chunk))
        )
    return found


async def sent_to(recipient: UUID) -> list[dict[str, Any]]:
    return await ReminderSent.select().where(ReminderSent.recipient == recipient).order_by(ReminderSent.sent_at)


async def purge_sent_before(cutoff: datetime) -> int:
    rows = await ReminderSent.delete().where(ReminderSent.sent_at < cutoff).returning(ReminderSent.key)
    return len(rows)


async def save_feed(owner: UUID, token_hash: str, now: datetime) -> None:
    """The owner's feed now answers only to this token (an older one stops working)."""
    await CalendarFeed.delete().where(CalendarFeed.owner == owner)
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
