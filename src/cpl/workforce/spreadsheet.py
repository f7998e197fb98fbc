"""The workforce view as CSV: one line per registration kept (a worker without one: one line).

RFC 4180, UTF-8, written a few hundred workers at a time as the answer streams, so memory stays
flat however large the workforce. Cells a spreadsheet would run as formulas start with a quote
(OWASP "CSV Injection", as ``cpl.exports.formats`` does for entries).
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Iterable
from typing import Any

from cpl.exports.formats import FORMULA_STARTS
from cpl.workforce.schemas import WorkforceWorkerOut

COLUMNS = (
    "worker_id",
    "worker_name",
    "supervisors",
    "shared_entries",
    "last_activity",
    "worker_status",
    "register",
    "part",
    "cycle_start",
    "renewal_date",
    "due_on",
    "status",
    "rules",
    "mandatory_done",
    "mandatory_missing",
)


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _lines(worker: WorkforceWorkerOut) -> Iterable[list[str]]:
    first = [
        worker.worker_id,
        worker.display_name,
        "; ".join(supervisor.display_name for supervisor in worker.supervisors),
        worker.shared_entries,
        worker.last_activity,
        worker.status,
    ]
    if not worker.registrations:
        yield [_cell(value) for value in first] + [""] * (len(COLUMNS) - len(first))
    for registration in worker.registrations:
        items = registration.mandatory_learning
        yield [
            _cell(value)
            for value in (
                *first,
                registration.register,
                registration.part,
                registration.cycle_start,
                registration.renewal_date,
                registration.due_on,
                registration.status,
                "; ".join(f"{rule}={status}" for rule, status in registration.rules.items()),
                "; ".join(item.code for item in items if item.covered),
                "; ".join(item.code for item in items if not item.covered),
            )
        ]


async def csv_chunks(chunks: AsyncIterator[list[WorkforceWorkerOut]]) -> AsyncIterator[bytes]:
    """The header, then every worker's lines, one chunk of workers at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    async for workers in chunks:
        for worker in workers:
            writer.writerows(_lines(worker))
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue().encode()
