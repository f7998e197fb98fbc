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
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

import anyio
from anyio import to_thread
from litestar import Litestar
from prometheus_client import Histogram

from cpl.database_faults import log_background_failure
from cpl.db import write_transaction
from cpl.errors import CplError
from cpl.exports.formats import export_options
from cpl.exports.job_leases import LeaseLost, Progress, beat, claim_next, held, requeue_stale
from cpl.exports.pdf import configured_identity
from cpl.exports.portable_record import build_record, record_files
from cpl.exports.portfolio import keep_record
from cpl.exports.produce import Job, Made, make_file
from cpl.exports.signing import sign_statement
from cpl.exports.tables import Export
from cpl.exports.verifiers import export_verifiers
from cpl.kernel import clock
from cpl.request_log import REQUEST_ID
from cpl.scheduling import Node
from cpl.settings import Settings
from cpl.signing import active_signer
from cpl.storage import Storage
from cpl.work_folders import EXPORT_WORK

logger = logging.getLogger("cpl.exports")
#: How long each export took to make, from claim to done or failed (``/metrics``).
EXPORT_SECONDS = Histogram(
    "cpl_export_job_duration_seconds", "Time to make an export", buckets=(0.5, 1, 2, 5, 10, 30, 60, 300, 900)
)


async def _finish(row: dict[str, Any], made: Made, period: dict[str, Any], signed: dict[str, Any]) -> None:
    """Mark the export done, and settle which of the same selection and format supersedes which."""
    async with write_transaction():
        still_held = (
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
            .where(held(row))
            .returning(Export.id)
        )
        if not still_held:
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
        await keep_record(storage, work, row["id"], record)
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
        held(row)
    )


async def run_export(settings: Settings, storage: Storage, row: dict[str, Any]) -> None:
    """Make a claimed export; it ends ``done`` or ``failed`` (or queued again if the process stops,
    or left to the node that claimed it again if this one lost its lease)."""
    progress = Progress(row)
    every = max(settings.export_stale_after.total_seconds() / 4, 0.05)
    lost = asyncio.Event()
    beating = asyncio.create_task(beat(row, every, asyncio.current_task(), lost))
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
            await Export.update({Export.status: "queued"}).where(held(row))
        raise
    except Exception:
        logger.exception("export %s failed", row["id"])
        await _fail(row, "Something went wrong on our side; it has been logged. Try the export again.")
    finally:
        beating.cancel()


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
                    token = REQUEST_ID.set(row["request_id"] or f"export-{row['id']}")
                    try:
                        with EXPORT_SECONDS.time():
                            await run_export(self.settings, self.storage, row)
                    finally:
                        REQUEST_ID.reset(token)
                    continue
            except Exception:  # the database went away: keep the worker alive and try again later
                log_background_failure(logger, "export worker could not reach the database")
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
