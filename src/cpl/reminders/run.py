"""Sending the reminders that are due: each once, never in the recipient's quiet hours.

Rules (issue 19, item 1):
- A reminder's key is inserted in the same transaction as its notification (and the e-mail
  queued with it); a key already there means another run, on this or another server process,
  sent it, and nothing more happens. A run that fails before its commit leaves no key, so the
  next run sends the reminder again; a mail server that is down leaves the message in the outbox,
  retried (:mod:`cpl.mail`).
- In the recipient's quiet hours nothing is sent and no key is taken: the first run after they
  end sends what is still due.
- Channels: ``in_app`` makes a notification (which also reaches the person's devices by push,
  :func:`cpl.notifications.deliver`), ``email`` an e-mail; with both off nothing is sent.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from cpl.db import write_transaction
from cpl.kernel import clock
from cpl.mail import send_queued
from cpl.notifications import deliver, notify, queue_email
from cpl.reminders import repository
from cpl.reminders.due import Reminder, registration_batches
from cpl.reminders.others import audit_request_reminders, review_reminders
from cpl.reminders.preferences import Preferences, preferences_of
from cpl.settings import Settings


class _SentAlready(Exception):
    """Another run took one of the reminder's keys: roll this one back."""


async def send_reminder(settings: Settings, reminder: Reminder, preferences: Preferences, now: datetime) -> bool:
    """Take the reminder's keys and make its notification in one transaction; False when it was sent already."""
    note = mail = None
    try:
        async with write_transaction():
            for key in reminder.keys:
                if not await repository.claim(key, reminder.recipient, reminder.kind, now):
                    raise _SentAlready
            if preferences.in_app:
                note = await notify(
                    reminder.recipient, reminder.kind, reminder.review, reminder.message, email=preferences.email
                )
            else:
                mail = await queue_email(reminder.recipient, reminder.kind, reminder.message)
    except _SentAlready:
        return False
    if note is not None:
        await deliver(settings, [note])
    elif mail is not None:
        await send_queued(settings, [mail])
    return True


async def send_due(
    settings: Settings, reminders: list[Reminder], preferences: dict[UUID, Preferences], now: datetime
) -> tuple[list[Reminder], set[UUID]]:
    """Send those of ``reminders`` not sent before, to recipients outside their quiet hours.
    Returns what was sent, and who was not reached because of their quiet hours."""
    done = await repository.taken([key for reminder in reminders for key in reminder.keys])
    sent, waiting = [], set()
    for reminder in reminders:
        chosen = preferences[reminder.recipient]
        if chosen.silent or any(key in done for key in reminder.keys):
            continue
        if chosen.quiet_at(now):
            waiting.add(reminder.recipient)
        elif await send_reminder(settings, reminder, chosen, now):
            sent.append(reminder)
    return sent, waiting


async def run_reminders(settings: Settings, now: datetime | None = None) -> list[Reminder]:
    """One round: the registration reminders of every worker who needs judging, supervisors' waiting
    reviews, audit requests near their deadline. Returns what was sent. Safe to run at once on
    several server processes. A worker's next check is recorded once nothing due is left unsent."""
    now = now or clock.now()
    sent: list[Reminder] = []
    async for batch in registration_batches(now):
        batch_sent, waiting = await send_due(settings, batch.reminders, batch.preferences, now)
        sent += batch_sent
        checks = [check for owner, check in batch.checks.items() if owner not in waiting]
        async with write_transaction():
            await repository.save_checks(checks)
    others = await review_reminders(settings, now) + await audit_request_reminders(settings, now)
    if others:
        preferences = await preferences_of(list({reminder.recipient for reminder in others}))
        sent += (await send_due(settings, others, preferences, now))[0]
    return sent
