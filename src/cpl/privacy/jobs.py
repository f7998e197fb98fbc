"""The privacy job of each server process: erasures and data exports, run in the background.

A request queues a row and wakes this process's job; every ``privacy_job_interval`` the job
also looks for rows queued by other processes, or left unfinished by a process that stopped
(both kinds of work are safe to run again and to race: see their modules).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from litestar import Litestar

from cpl.database_faults import log_background_failure
from cpl.errors import CplError
from cpl.kernel.events import EventBus
from cpl.privacy.data_export import run_pending_data_exports
from cpl.privacy.erasure import run_pending_erasures
from cpl.privacy.sections import DataSections
from cpl.settings import Settings
from cpl.storage import Storage

logger = logging.getLogger("cpl.privacy")


class PrivacyJob:
    def __init__(self, settings: Settings, storage: Storage, events: EventBus, sections: DataSections) -> None:
        self.settings = settings
        self.storage = storage
        self.events = events
        self.sections = sections
        self.wake = asyncio.Event()

    def notify(self) -> None:
        """Work was queued: look at once."""
        self.wake.set()

    async def run_once(self) -> None:
        await run_pending_erasures(self.settings, self.storage, self.events)
        await run_pending_data_exports(self.settings, self.storage, self.sections)

    async def serve(self) -> None:
        while True:
            self.wake.clear()
            try:
                await self.run_once()
            except CplError as error:
                logger.warning("privacy job will retry: %s", error.detail)
            except Exception:  # a database hiccup must not end the job for the life of the process
                log_background_failure(logger, "privacy job will retry")
            with suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), self.settings.privacy_job_interval.total_seconds())


def privacy_lifespan(job: PrivacyJob):
    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        app.state.privacy_job = job
        task = asyncio.create_task(job.serve())
        try:
            yield
        finally:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task

    return lifespan
