"""Pushes go out beside the change that caused them, never inside its request.

Why: a push service that is slow or failing is waited for (``push_timeout_seconds``) and retried
(``push_max_attempts``, the wait doubling): about 18 s with the default settings. The answer to
the request that made a notification does not depend on its push, so it must not wait for it.

Rules:
- :func:`send_soon` starts the sending as a task of this process and returns at once.
- Whoever stops (the app's lifespan, :func:`courier_lifespan`; ``cpl reminders run``) first lets
  the pushes still going finish, waiting at most ``push_timeout_seconds``; those cut short are
  logged. A notification is claimed before its push (``pushed_at``), so one cut short is not
  pushed again: the in-app notification and its e-mail copy remain the record.
- A push that was never started (the process died first) is pushed by the scheduled sweep
  (:func:`cpl.notifications.push_undelivered`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Coroutine
from typing import Any

from cpl.settings import Settings

logger = logging.getLogger("cpl.push")

#: The pushes of this process still going (a task only weakly referenced by the loop could be
#: collected mid-way; this set holds each until it ends).
_going: set[asyncio.Task] = set()


def send_soon(sending: Coroutine[Any, Any, None]) -> None:
    """Run ``sending`` in the background of this process."""
    task = asyncio.get_running_loop().create_task(sending)
    _going.add(task)
    task.add_done_callback(_going.discard)


async def finish_sending(settings: Settings) -> None:
    """Let the pushes still going finish, for at most ``push_timeout_seconds``; cut the rest short."""
    going = {task for task in _going if task.get_loop() is asyncio.get_running_loop()}
    if not going:
        return
    _, unfinished = await asyncio.wait(going, timeout=settings.push_timeout_seconds)
    for task in unfinished:
        task.cancel()
    if unfinished:
        logger.warning("stopping: %d push(es) cut short", len(unfinished))
        await asyncio.gather(*unfinished, return_exceptions=True)


def courier_lifespan(settings: Settings):
    """The app's lifespan part for pushes: on stop, the pushes still going may finish."""

    @contextlib.asynccontextmanager
    async def lifespan(_: object) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await finish_sending(settings)

    return lifespan
