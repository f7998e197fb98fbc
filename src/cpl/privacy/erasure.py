"""The erasure job (GDPR Art. 17): what ``DELETE /v1/me`` queued (``cpl.accounts.erasure``).

Two steps, each safe to run again and in several processes at once:

1. one transaction claims the erasure (``queued`` → ``files``, the address forgotten) and
   publishes :class:`~cpl.accounts.events.AccountErased`: every domain deletes what it holds
   about the person and queues its objects in ``storage_garbage`` (``cpl.app.subscribe_handlers``);
2. after the commit, the queued objects are deleted from the store and, on SQLite, the file is
   compacted (:func:`cpl.db.compact_sqlite`); then the erasure is ``done``.

A store that is down leaves it at ``files``; the next run (every ``privacy_job_interval``, in
every server process) finishes it.
"""

from __future__ import annotations

from uuid import UUID

from anyio import to_thread

from cpl.accounts.erasure import claim_erasure, erasure_status, finish_erasure, unfinished_erasures
from cpl.attachments.cleanup import sweep_garbage
from cpl.db import compact_sqlite, write_transaction
from cpl.kernel.events import EventBus
from cpl.mail import forget_delivered_to
from cpl.settings import Settings
from cpl.storage import Storage


async def run_erasure(settings: Settings, storage: Storage, events: EventBus, erasure_id: UUID) -> None:
    """Carry one erasure as far as it goes (both steps); running it again is harmless."""
    async with write_transaction():
        erased = await claim_erasure(erasure_id)
        if erased is not None:
            await events.publish(erased)
            # Copies of mail delivered to the person (mail folder only); deleted even if this
            # transaction rolls back, which loses nothing: they were delivered.
            await to_thread.run_sync(forget_delivered_to, settings, erased.email)
    if (await erasure_status(erasure_id))["status"] == "files":
        await sweep_garbage(storage)
        await to_thread.run_sync(compact_sqlite, settings)
        await finish_erasure(erasure_id)


async def run_pending_erasures(settings: Settings, storage: Storage, events: EventBus) -> int:
    """Every erasure not yet done, oldest first. Returns how many were looked at."""
    pending = await unfinished_erasures()
    for erasure_id in pending:
        await run_erasure(settings, storage, events, erasure_id)
    return len(pending)
