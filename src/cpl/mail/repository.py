"""Every statement on ``mail_outbox`` (CONVENTIONS rule 14)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from cpl.kernel import clock
from cpl.mail.tables import MailOutbox

#: How long a process holds a message it is sending before another may take it over.
CLAIM = timedelta(minutes=2)
_FIELDS = (MailOutbox.id, MailOutbox.to_address, MailOutbox.subject, MailOutbox.body, MailOutbox.attempts)


async def insert(to_address: str, subject: str, body: str) -> UUID:
    message_id = uuid4()
    await MailOutbox.insert(MailOutbox(id=message_id, to_address=to_address, subject=subject, body=body))
    return message_id


def _free(now: datetime):
    return MailOutbox.claimed_until.is_null() | (MailOutbox.claimed_until < now)


async def claim(ids: list[UUID]) -> list[dict[str, Any]]:
    """Take the named messages that no other process holds (those already sent are gone)."""
    if not ids:
        return []
    now = clock.now()
    return await (
        MailOutbox.update({MailOutbox.claimed_until: now + CLAIM})
        .where(MailOutbox.id.is_in(ids) & _free(now))
        .returning(*_FIELDS)
    )


async def due_ids(limit: int) -> list[UUID]:
    now = clock.now()
    rows = (
        await MailOutbox.select(MailOutbox.id)
        .where((MailOutbox.next_attempt_at <= now) & _free(now))
        .order_by(MailOutbox.next_attempt_at)
        .limit(limit)
    )
    return [row["id"] for row in rows]


async def delete(ids: list[UUID]) -> None:
    if ids:
        await MailOutbox.delete().where(MailOutbox.id.is_in(ids))


async def failed(message_id: UUID, attempts: int, retry_at: datetime, error: str) -> None:
    await MailOutbox.update(
        {
            MailOutbox.attempts: attempts,
            MailOutbox.next_attempt_at: retry_at,
            MailOutbox.claimed_until: None,
            MailOutbox.last_error: error[:1000],
        }
    ).where(MailOutbox.id == message_id)


async def delete_to(to_address: str) -> None:
    """Every message still waiting for this address (erasure: the person is not to be written to)."""
    await MailOutbox.delete().where(MailOutbox.to_address == to_address)
