"""Export jobs, run in the background by every server process.

Rules:
- ``POST /v1/exports`` only queues a row; no request waits for an export to be made.
- A job is claimed with a conditional update (``… SET status = 'running' WHERE id = ? AND
  status = 'queued'``): with several server processes on one database, exactly one runs it.
- The running job's ``heartbeat_at`` moves every quarter of ``export_stale_after`` (its lease,
  seconds long); a job whose heartbeat is older belonged to a process that died and is queued
  again, at start-up and by the scheduled work :data:`STALE_JOB_RECOVERY` names (one node
  every few seconds). A process shutting down queues its own running jobs again at once.
- Every write of a running job is fenced by its claim (``started_at``): a node that was only
  slow, whose job another node has since claimed, finds its lease lost, stops, and changes
  nothing.
- The file is made in a work folder on disk, then stored with ``put_file``; the row turns
  ``done`` (with the file's SHA-256 and a signature over it) only once the object is stored.
- An export completing marks every earlier completed export of the same selection and
  format ``superseded`` by it (a verifier sees the copy they hold has been replaced).
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from functools import partial
from typing import Any

import anyio
from anyio import to_thread
from litestar import Litestar

from cpl.db import write_transaction
from cpl.errors import CplError
from cpl.exports.formats import export_options
from cpl.exports.pdf import configured_identity
from cpl.exports.portable_record import build_record, record_files
from cpl.exports.produce import Job, Made, make_file
from cpl.exports.signing import sign_statement
from cpl.exports.tables import Export
from cpl.exports.verifiers import export_verifiers
from cpl.kernel import clock
from cpl.scheduling import Node, ScheduledWork
from cpl.settings import Settings
from cpl.signing import active_signer
from cpl.storage import Storage
from cpl.work_folders import EXPORT_WORK

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


def _held(row: dict[str, Any]) -> Any:
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
            .where(_held(self.row))
            .returning(Export.id)
        )
        if not written:
            raise LeaseLost(self.row["id"])

    async def advance(self, count: int) -> None:
        self.done += count
        if time.monotonic() - self._written >= PROGRESS_EVERY_SECONDS:
            await self.write()


async def _beat(row: dict[str, Any], every: float, job: asyncio.Task[Any], lost: asyncio.Event) -> None:
    """Renew the job's lease every ``every`` seconds; if it was lost, stop the job."""
    while True:
        await asyncio.sleep(every)
        try:
            held = await Export.update({Export.heartbeat_at: clock.now()}).where(_held(row)).returning(Export.id)
        except Exception:  # the database is away: the next beat tries again
            logger.warning("export %s could not renew its lease", row["id"])
            continue
        if not held:
            lost.set()
            job.cancel()
            return


async def _finish(row: dict[str, Any], made: Made, period: dict[str, Any], signed: dict[str, Any]) -> None:
    """Mark the export done, and settle which of the same selection and format supersedes which."""
    async with write_transaction():
        held = (
            await Export.update(
                {
                    Export.period_from: period["from"] and date.fromisoformat(period["from"]),
                    Export.period_to: period["to"] and date.fromisoformat(period["to"]),
                    Export.status: "done",
                    Export.media_type: made.media_type,
                    Export.size: made.size,
                    Export.sha256: made.sha256,
                    Export.error: "",
                    **signed,
                }
            )
            .where(_held(row))
            .returning(Export.id)
        )
        if not held:
            raise LeaseLost(row["id"])
        same = (
            (Export.owner == row["owner"]) & (Export.selection_key == row["selection_key"]) & (Export.status == "done")
        )
        await Export.update({Export.superseded_by: row["id"]}).where(
            same & (Export.id != row["id"]) & (Export.created_at <= row["created_at"]) & Export.superseded_by.is_null()
        )
        later = (
            await Export.select(Export.id)
            .where(same & (Export.created_at > row["created_at"]))
            .order_by(Export.created_at, ascending=False)
            .first()
        )
        if later:
            await Export.update({Export.superseded_by: later["id"]}).where(Export.id == row["id"])


async def _make(settings: Settings, storage: Storage, row: dict[str, Any], progress: Progress) -> None:
    work = settings.data_dir / EXPORT_WORK / row["id"].hex
    await to_thread.run_sync(lambda: work.mkdir(parents=True, exist_ok=True))
    try:
        record = await build_record(
            settings,
            storage,
            owner=row["owner"],
            export_id=row["id"],
            created_at=row["created_at"],
            selection=row["selection"],
        )
        files = len(record_files(record)) if row["format"] == "bundle" else 0
        progress.total, progress.done = len(record["entries"]) + files + 1, len(record["entries"])
        await progress.write()
        signer = await active_signer(settings)
        job = Job(settings, storage, signer, row["id"], record, work, progress.advance, export_options(row))
        made = await make_file(job, row["format"])
        key = f"exports/{row['id'].hex}"
        await storage.put_file(key, made.path, made.media_type)
        signed_at = clock.now()
        signed = {
            Export.storage_key: key,
            Export.kid: signer.kid,
            Export.signed_at: signed_at,
            Export.finished_at: signed_at,
            Export.signature: sign_statement(signer, row["id"], row["format"], made.sha256, made.size, signed_at),
            Export.verifiers: export_verifiers(record),
        }
        progress.done = progress.total
        await progress.write()
        await _finish(row, made, record["period"], signed)
    finally:
        await to_thread.run_sync(lambda: shutil.rmtree(work, ignore_errors=True))


async def _fail(row: dict[str, Any], reason: str) -> None:
    await Export.update({Export.status: "failed", Export.error: reason, Export.finished_at: clock.now()}).where(
        _held(row)
    )


async def run_export(settings: Settings, storage: Storage, row: dict[str, Any]) -> None:
    """Make a claimed export; it ends ``done`` or ``failed`` (or queued again if the process stops,
    or left to the node that claimed it again if this one lost its lease)."""
    progress = Progress(row)
    every = max(settings.export_stale_after.total_seconds() / 4, 0.05)
    lost = asyncio.Event()
    beat = asyncio.create_task(_beat(row, every, asyncio.current_task(), lost))
    try:
        await _make(settings, storage, row, progress)
    except LeaseLost:
        logger.warning("export %s was claimed again by another node; this run stops", row["id"])
    except CplError as error:
        await _fail(row, error.detail)
    except asyncio.CancelledError:
        if lost.is_set() and asyncio.current_task().uncancel() == 0:
            logger.warning("export %s lost its lease to another node; this run stops", row["id"])
            return
        with anyio.CancelScope(shield=True):
            await Export.update({Export.status: "queued"}).where(_held(row))
        raise
    except Exception:
        logger.exception("export %s failed", row["id"])
        await _fail(row, "Something went wrong on our side; it has been logged. Try the export again.")
    finally:
        beat.cancel()


class ExportRunner:
    """The background workers of one server process."""

    def __init__(self, settings: Settings, storage: Storage, node: Node) -> None:
        self.settings = settings
        self.storage = storage
        self.node = node
        self.wake = asyncio.Event()

    def notify(self) -> None:
        """A job was queued: an idle worker of this process looks at once."""
        self.wake.set()

    async def serve(self) -> None:
        poll = self.settings.export_poll_interval.total_seconds()
        while True:
            self.wake.clear()
            try:
                row = await claim_next(self.node.id)
                if row is not None:
                    await run_export(self.settings, self.storage, row)
                    continue
            except Exception:  # the database went away: keep the worker alive and try again later
                logger.exception("export worker could not reach the database")
            try:
                await asyncio.wait_for(self.wake.wait(), poll)
            except TimeoutError:
                pass


def export_lifespan(storage: Storage, settings: Settings, node: Node):
    """Start ``export_workers`` workers with the app; on stop, their running jobs are queued again.
    A configured PDF signing key or certificate that cannot be used fails start-up."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        await to_thread.run_sync(configured_identity, settings)
        runner = ExportRunner(settings, storage, node)
        app.state.export_runner = runner
        await requeue_stale(settings)
        workers = [asyncio.create_task(runner.serve()) for _ in range(settings.export_workers)]
        try:
            yield
        finally:
            for worker in workers:
                worker.cancel()
            await asyncio.gather(*workers, return_exceptions=True)

    return lifespan
