"""Claiming export jobs, and the lease a running job holds (see :mod:`cpl.exports.jobs` for the rules).

A claim is one conditional update; the claim's ``started_at`` fences every later write of the
job (:func:`held`), so a node whose lease lapsed and whose job another node claimed again
changes nothing (:class:`LeaseLost`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from functools import partial
from typing import Any

from cpl.exports.tables import Export
from cpl.kernel import clock
from cpl.scheduling import ScheduledWork
from cpl.settings import Settings

logger = logging.getLogger("cpl.exports")

#: Progress is written at most this often (and always at the end).
PROGRESS_EVERY_SECONDS = 0.25


#: The name of the scheduled work that queues again the jobs of dead nodes.
STALE_JOB_RECOVERY = "export-stale-job-recovery"


class LeaseLost(Exception):
    """Another node claimed this job again: this node's run of it must stop and write nothing."""


async def requeue_stale(settings: Settings) -> int:
    """Queue again the running jobs whose process stopped beating (see the module docstring)."""
    cutoff = clock.now() - settings.export_stale_after
    rows = (
        await Export.update({Export.status: "queued"})
        .where((Export.status == "running") & (Export.heartbeat_at < cutoff))
        .returning(Export.id)
    )
    return len(rows)


def stale_job_recovery(settings: Settings) -> ScheduledWork:
    """The scheduled work that queues again, on one node every quarter lease, the jobs of dead nodes."""
    return ScheduledWork(STALE_JOB_RECOVERY, settings.export_stale_after / 4, partial(requeue_stale, settings))


async def claim_next(node_id: str = "") -> dict[str, Any] | None:
    """Take the oldest queued job for this node, unless another worker takes it first."""
    candidates = await Export.select(Export.id).where(Export.status == "queued").order_by(Export.created_at).limit(5)
    for candidate in candidates:
        now = clock.now()
        claimed = (
            await Export.update(
                {
                    Export.status: "running",
                    Export.started_at: now,
                    Export.heartbeat_at: now,
                    Export.progress_done: 0,
                    Export.runner: node_id,
                }
            )
            .where((Export.id == candidate["id"]) & (Export.status == "queued"))
            .returning(Export.id)
        )
        if claimed:
            return await Export.select().where(Export.id == candidate["id"]).output(load_json=True).first()
    return None


def held(row: dict[str, Any]) -> Any:
    """The condition that this node's claim of the job still stands."""
    return (Export.id == row["id"]) & (Export.status == "running") & (Export.started_at == row["started_at"])


class Progress:
    """Entries and files done, written to the row at most every :data:`PROGRESS_EVERY_SECONDS`."""

    def __init__(self, row: dict[str, Any]) -> None:
        self.row = row
        self.done = 0
        self.total = 0
        self._written = 0.0

    async def write(self) -> None:
        self._written = time.monotonic()
        written = (
            await Export.update(
                {Export.progress_done: self.done, Export.progress_total: self.total, Export.heartbeat_at: clock.now()}
            )
            .where(held(self.row))
            .returning(Export.id)
        )
        if not written:
            raise LeaseLost(self.row["id"])

    async def advance(self, count: int) -> None:
        self.done += count
        if time.monotonic() - self._written >= PROGRESS_EVERY_SECONDS:
            await self.write()


async def beat(row: dict[str, Any], every: float, job: asyncio.Task[Any], lost: asyncio.Event) -> None:
    """Renew the job's lease every ``every`` seconds; if it was lost, stop the job."""
    while True:
        await asyncio.sleep(every)
        try:
            renewed = await Export.update({Export.heartbeat_at: clock.now()}).where(held(row)).returning(Export.id)
        except Exception:  # the database is away: the next beat tries again
            logger.warning("export %s could not renew its lease", row["id"])
            continue
        if not renewed:
            lost.set()
            job.cancel()
            return
