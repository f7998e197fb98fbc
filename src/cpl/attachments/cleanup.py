"""Background upkeep: deleting released files and expired upload slots, finishing promotions.

Each server process runs :func:`maintain` every ``storage_maintenance_interval``;
``cpl storage reconcile --fix`` does the same. Every step is safe to run in several
processes at once: deleting an object twice is harmless, rows are removed only after their
objects, and promoting twice copies twice but repoints the row once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from datetime import datetime
from typing import Any

import anyio

from cpl.attachments.ingest import promote
from cpl.attachments.tables import Attachment, StorageGarbage, UploadSlot
from cpl.errors import CplError
from cpl.kernel import clock
from cpl.settings import Settings
from cpl.storage import Storage
from cpl.work_folders import remove_abandoned_work

logger = logging.getLogger("cpl.attachments")

BATCH = 500


async def _purge(storage: Storage, table: type[StorageGarbage] | type[UploadSlot], *conditions: Any) -> int:
    """Delete the matching rows' objects, then the rows, a batch at a time. Returns how many."""
    done = 0
    while True:
        query = table.select(table.id, table.object_key).limit(BATCH)
        rows = await (query.where(*conditions) if conditions else query)
        if not rows:
            return done
        await storage.delete([row["object_key"] for row in rows])
        await table.delete().where(table.id.is_in([row["id"] for row in rows]))
        done += len(rows)


async def sweep_garbage(storage: Storage) -> int:
    """Delete the objects queued for deletion. Returns how many were deleted."""
    return await _purge(storage, StorageGarbage)


async def expire_slots(storage: Storage, now: datetime | None = None) -> int:
    """Remove slots past their expiry, completed or not, and whatever was uploaded to them."""
    return await _purge(storage, UploadSlot, UploadSlot.expires_at < (now or clock.now()))


async def promote_staged(storage: Storage, older_than: datetime) -> int:
    """Finish promotions that did not happen after their response (a crash, or the store was down)."""
    rows = (
        await Attachment.select().where(Attachment.state == "staged", Attachment.created_at < older_than).limit(BATCH)
    )
    for row in rows:
        await promote(storage, row)
    return len(rows)


async def clean_crash_leftovers(storage: Storage, settings: Settings, now: datetime | None = None) -> int:
    """Delete what killed processes left: spooled uploads, export work files, partial objects and
    unfinished multipart uploads, once untouched for ``crash_leftover_age`` (so a live upload on
    another node is never cut). Returns how many pieces were removed."""
    older_than = (now or clock.now()) - settings.crash_leftover_age
    removed = await anyio.to_thread.run_sync(remove_abandoned_work, settings.data_dir, older_than)
    return removed + await storage.abandon_partial_uploads(older_than)


async def _clean_at_start(storage: Storage, settings: Settings) -> None:
    try:
        removed = await clean_crash_leftovers(storage, settings)
    except CplError as error:
        logger.warning("crash leftovers stay until the next start or reconcile: %s", error.detail)
        return
    if removed:
        logger.info("removed %d file(s) left by an earlier crash", removed)


async def maintain(storage: Storage, settings: Settings) -> None:
    """Run the clean-up every interval until cancelled; a failing store is logged and retried next time."""
    interval = settings.storage_maintenance_interval.total_seconds()
    if interval <= 0:
        return
    while True:
        await anyio.sleep(interval)
        try:
            await expire_slots(storage)
            await sweep_garbage(storage)
            await promote_staged(storage, clock.now() - settings.storage_maintenance_interval)
        except CplError as error:
            logger.warning("storage maintenance failed, will retry: %s", error.detail)
        except Exception:  # a database hiccup must not end the loop for the life of the process
            logger.exception("storage maintenance failed, will retry")


async def delete_released(storage: Storage, keys: list[str]) -> None:
    """Delete just-released objects now; if the store is down they stay queued for :func:`maintain`."""
    if not keys:
        return
    try:
        await storage.delete(keys)
    except CplError as error:
        logger.warning("released objects stay queued: %s", error.detail)
        return
    await StorageGarbage.delete().where(StorageGarbage.object_key.is_in(keys))


def storage_lifespan(storage: Storage, settings: Settings):
    """The app's lifespan part for storage: clean a crash's leftovers once and run :func:`maintain` in the
    background; close the client at the end."""

    @asynccontextmanager
    async def lifespan(_: object) -> AsyncIterator[None]:
        tasks = [
            asyncio.create_task(_clean_at_start(storage, settings)),
            asyncio.create_task(maintain(storage, settings)),
        ]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
                with suppress(asyncio.CancelledError):
                    await task
            await storage.close()

    return lifespan
