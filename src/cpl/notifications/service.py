"""In-app notifications of review events, and their e-mail copies.

Rules:
- A notification is its recipient's alone; anyone else's id answers "not found".
- It is written in the same transaction as the event it reports, with its e-mail copy queued
  in the mail outbox (:mod:`cpl.mail`); the copy is sent only after that transaction commits.
- Marking read is idempotent.
- Each notification is also pushed to the recipient's devices (:mod:`cpl.push`), once, after
  the commit: by :func:`deliver` (in the background, :mod:`cpl.push.courier`: the request does
  not wait for push services), or for a notification no caller delivers (one written by an
  event handler) by :func:`push_undelivered` within ``push_sweep_interval``. Whoever sets
  ``pushed_at`` first pushes it, so two nodes never push one notification twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from cpl.accounts.events import AccountErased
from cpl.accounts.service import get_account
from cpl.db import write_transaction
from cpl.errors import NotFound
from cpl.kernel import clock
from cpl.mail import queue_mail, send_queued
from cpl.notifications.schemas import NotificationOut
from cpl.notifications.screens import push_message_fields
from cpl.notifications.tables import Notification
from cpl.push import PushMessage, push_to, send_soon
from cpl.settings import Settings

logger = logging.getLogger("cpl.push")

#: A notification left unpushed for longer than this is not pushed any more (stale news on a phone).
PUSH_LOOKBACK = timedelta(hours=1)


async def notify(
    recipient: UUID, kind: str, review: UUID | None, message: str, *, email: bool = True
) -> dict[str, Any]:
    """Record a notification and queue its e-mail copy (inside the caller's transaction);
    returns it for :func:`deliver`. ``email`` false: no copy (a worker who turned reminder
    e-mails off)."""
    row = {"id": uuid4(), "recipient": recipient, "kind": kind, "review": review, "message": message}
    await Notification.insert(Notification(**row))
    mail = await queue_email(recipient, kind, message) if email else None
    return {**row, "mail": mail}


async def queue_email(recipient: UUID, kind: str, message: str) -> UUID:
    """Queue the e-mail of a notification to its recipient's address (inside the caller's transaction)."""
    return await queue_mail(
        (await get_account(recipient))["email"], "notification", kind=kind.replace("_", " "), message=message
    )


async def deliver(settings: Settings, notes: list[dict[str, Any]]) -> None:
    """Send the e-mail copies of committed notifications, and start pushing them to the
    recipients' devices (returns without waiting for the pushes)."""
    await send_queued(settings, [note["mail"] for note in notes if note["mail"] is not None])
    if notes:
        send_soon(_push_in_background(settings, [note["id"] for note in notes]))


async def _push_in_background(settings: Settings, ids: list[UUID]) -> None:
    try:
        await _push(settings, ids)
    except Exception:  # nobody waits for this: log it; the sweep pushes what was not claimed
        logger.exception("pushing %d notification(s) failed", len(ids))


async def _push(settings: Settings, ids: list[UUID]) -> None:
    if not ids:
        return
    async with write_transaction():
        claimed = (
            await Notification.update({Notification.pushed_at: clock.now()})
            .where(Notification.id.is_in(ids) & Notification.pushed_at.is_null())
            .returning(
                Notification.id, Notification.recipient, Notification.kind, Notification.review, Notification.message
            )
        )
    for row in claimed:
        await push_to(settings, row["recipient"], PushMessage(**push_message_fields(settings.service_name, row)))


async def push_undelivered(settings: Settings) -> int:
    """Push the notifications of the last ``PUSH_LOOKBACK`` that no :func:`deliver` pushed (scheduled work)."""
    rows = await Notification.select(Notification.id).where(
        Notification.pushed_at.is_null() & (Notification.created_at >= clock.now() - PUSH_LOOKBACK)
    )
    await _push(settings, [row["id"] for row in rows])
    return len(rows)


def notification_out(row: dict[str, Any]) -> NotificationOut:
    return NotificationOut(
        id=row["id"],
        kind=row["kind"],
        review_id=row["review"],
        message=row["message"],
        created_at=row["created_at"],
        read_at=row["read_at"],
    )


async def my_notifications(recipient: UUID, unread_only: bool, limit: int) -> list[NotificationOut]:
    """Newest first."""
    where = Notification.recipient == recipient
    if unread_only:
        where = where & Notification.read_at.is_null()
    rows = await Notification.select().where(where).order_by(Notification.created_at, ascending=False).limit(limit)
    return [notification_out(row) for row in rows]


async def mark_read(recipient: UUID, notification: UUID) -> NotificationOut:
    row = await Notification.select().where(Notification.id == notification).first()
    if row is None or row["recipient"] != recipient:
        raise NotFound("No notification with this id.")
    if row["read_at"] is None:
        row["read_at"] = clock.now()
        await Notification.update({Notification.read_at: row["read_at"]}).where(Notification.id == notification)
    return notification_out(row)


async def forget_reviews(review_ids: list[UUID]) -> None:
    """Whoever was told about these reviews is told no more (their messages name the worker and the entry)."""
    if review_ids:
        await Notification.delete().where(Notification.review.is_in(review_ids))


async def erase_recipient(erased: AccountErased) -> None:
    """Every notification the person received goes (GDPR Art. 17)."""
    await Notification.delete().where(Notification.recipient == erased.account_id)


async def purge_older_than(cutoff: datetime) -> int:
    """Notifications made before ``cutoff``, read or not, go (retention: ``notification_retention``)."""
    rows = await Notification.delete().where(Notification.created_at < cutoff).returning(Notification.id)
    return len(rows)


async def notifications_data(recipient: UUID) -> list[dict[str, Any]]:
    return await Notification.select().where(Notification.recipient == recipient)


async def withdraw_title(reviews: dict[UUID, str], recipients: list[UUID] | None, words: str) -> None:
    """Put ``words`` in place of each review's entry title (given per review id) in the
    notifications of those reviews (only those of ``recipients``, when given): the entry is
    gone, or no longer shared with them, so its title is no longer theirs to read."""
    if not reviews:
        return
    where = Notification.review.is_in(list(reviews))
    if recipients is not None:
        where = where & Notification.recipient.is_in(recipients)
    for row in await Notification.select(Notification.id, Notification.review, Notification.message).where(where):
        title = reviews[row["review"]]
        if title and f"“{title}”" in row["message"]:
            message = row["message"].replace(f"“{title}”", words)
            await Notification.update({Notification.message: message}).where(Notification.id == row["id"])


async def notified_since(review: UUID, kind: str, since: datetime) -> bool:
    """Whether anyone was sent a notification of this kind about the review at or after ``since``."""
    return await Notification.exists().where(
        (Notification.review == review) & (Notification.kind == kind) & (Notification.created_at >= since)
    )
