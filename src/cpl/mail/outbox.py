"""cpl's one way to send e-mail: queue in the transaction, send after the commit, retry on failure.

Rules (src/cpl/README.md, "work outside the database is queued in a table in the same
transaction and done after the commit"):

- :func:`queue_mail` renders the message from its template and writes it to ``mail_outbox``
  inside the caller's transaction: a change that rolls back sends nothing.
- After the commit the caller hands the ids to :func:`send_queued`, which sends them at once
  (SMTP when ``CPL_SMTP_HOST`` is set, otherwise a file in ``data_dir/mail``) and never
  raises: a mail server that fails leaves the message queued.
- :func:`mail_lifespan` retries what is due every ``mail_retry_interval``, backing off
  (1, 2, 4… minutes, at most an hour), and drops a message after ``mail_max_attempts``.
- A process claims a message before sending it, so two processes never send the same one;
  a sent message's row is deleted (its body may hold a one-time link).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any
from uuid import UUID

import anyio.to_thread

from cpl.db import write_transaction
from cpl.kernel import clock
from cpl.mail import repository
from cpl.mail.transport import hand_over
from cpl.settings import Settings
from cpl.templating import render_mail

logger = logging.getLogger("cpl.mail")

#: Messages one retry round sends at most.
RETRY_BATCH = 50


async def queue_mail(to: str, template: str, **context: Any) -> UUID:
    """Queue ``mail/<template>.txt`` to ``to`` in the caller's transaction; returns its id for :func:`send_queued`."""
    subject, body = render_mail(template, **context)
    return await repository.insert(to, subject, body)


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(60, 2 ** (attempts - 1)))


async def _record_failures(settings: Settings, rows: list[dict[str, Any]], errors: dict[Any, str]) -> None:
    for row in rows:
        if row["id"] not in errors:
            continue
        attempts = row["attempts"] + 1
        if attempts >= settings.mail_max_attempts:
            logger.error(
                "giving up on mail to %s after %d attempts: %s", row["to_address"], attempts, errors[row["id"]]
            )
            await repository.delete([row["id"]])
        else:
            logger.warning("could not send mail to %s (attempt %d): %s", row["to_address"], attempts, errors[row["id"]])
            await repository.failed(row["id"], attempts, clock.now() + _backoff(attempts), errors[row["id"]])


async def send_queued(settings: Settings, ids: list[UUID]) -> None:
    """Send the named queued messages now (call after their transaction committed); never raises."""
    try:
        async with write_transaction():
            rows = await repository.claim(ids)
        if not rows:
            return
        errors = await anyio.to_thread.run_sync(hand_over, settings, rows)
        async with write_transaction():
            await repository.delete([row["id"] for row in rows if row["id"] not in errors])
            await _record_failures(settings, rows, errors)
    except Exception:  # a failure to send must never fail the change that caused the mail
        logger.exception("sending %d queued mail(s) failed; they stay queued", len(ids))


async def send_due(settings: Settings) -> None:
    """One retry round: every message whose next attempt is due."""
    await send_queued(settings, await repository.due_ids(RETRY_BATCH))


async def _retry_forever(settings: Settings) -> None:
    interval = settings.mail_retry_interval.total_seconds()
    while True:
        await asyncio.sleep(interval)
        await send_due(settings)


def mail_lifespan(settings: Settings):
    """The app's lifespan part for mail: retry unsent mail in the background (not with a zero interval)."""

    @contextlib.asynccontextmanager
    async def lifespan(_: object) -> AsyncIterator[None]:
        if not settings.mail_retry_interval:
            yield
            return
        task = asyncio.create_task(_retry_forever(settings))
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    return lifespan


async def forget_mail_to(to_address: str) -> None:
    """Drop the messages not yet sent to this address, in the caller's transaction."""
    await repository.delete_to(to_address)
