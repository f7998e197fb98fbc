"""Bench: working out the reminders due for 100,000 workers (issue 19, item 6), on SQLite and PostgreSQL.

Run from the repository root::

    .venv/bin/python -m bench.reminders            # print the results
    .venv/bin/python -m bench.reminders --record   # and write them into bench/RESULTS.md

For each database it migrates a fresh one (SQLite: a file in a temporary folder; PostgreSQL: the
database ``--bench-database``, ``cpl_bench_reminders`` unless given, on ``--postgres``, dropped and
made again), then writes with ``COPY`` (PostgreSQL) or multi-row ``INSERT`` (SQLite) — seeding
through the API would take hours — ``--workers`` accounts, each with one registration — NMC nurse,
HCPC paramedic, Social Work England or SSSC (2024) in turn, due from 1 to 400 days ahead, so every
reminder day and status occurs — and ``--entries`` entries each over the last three years
(learning activities, some reflective accounts and feedback; reflections stored as the app stores
them), and each worker's change counter.

Measured, in this process (the reminders run is background work, not a request):
- **the first run's computation** (no worker judged before): every worker's registrations, records
  and settings read in batches of 500 and every rule judged (``cpl.reminders.due.registration_batches``),
  then the keys already taken looked up — everything ``run_reminders`` does before sending; target < 30 s;
- **later runs**, once each worker's next check day is recorded (``reminder_check``): the same
  computation an hour later (same day) and a day later (the day's first run, which judges the workers
  whose check day came), ``--runs`` times each, median;
- **baseline**, the same run: the per-worker path a naive job would take — ``my_progress`` (what
  ``GET /v1/me/progress`` computes) for each of ``--baseline-workers`` workers, one after the
  other, extrapolated to all workers; the ratio says what the batches save.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import shlex
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import asyncpg

from bench.report import machine_description, publish
from bench.scale_seed import COLUMNS
from bench.servers import server_versions
from cpl import db
from cpl.evidence.repository import encode_json_column
from cpl.evidence.summaries import UNWRITTEN_REFLECTION
from cpl.migrate import migrate_database
from cpl.reminders.due import registration_batches
from cpl.reminders.repository import save_checks, taken
from cpl.requirements.progress import my_progress
from cpl.settings import Settings

HEADING = "## Reminders due for 100,000 workers (issue 19, item 6)"
TARGET_SECONDS = 30.0
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
BENCH_DATABASE = "cpl_bench_reminders"
#: Register, part, cycle length in years.
REGISTRATIONS = [("nmc", "nurse", 3), ("hcpc", "paramedic", 2), ("swe", "social_worker", 1), ("sssc", "social_care", 5)]
#: A reflective account's reflection, written as the app writes it; every other entry's untouched one.
WRITTEN = encode_json_column({"what_happened": "A shift", "what_i_learned": "Handover", "how_it_changes_practice": ""})
KINDS = ["learning_activity"] * 6 + ["reflective_account", "feedback", "learning_activity", "reflective_account"]

#: The tables seeded, with ``bench.scale_seed``'s columns (an account's address counts as confirmed).
_COLUMNS = {name: COLUMNS[name] for name in ("account", "registration", "evidence_entry", "evidence_change_counter")}
#: Rows sent per COPY (PostgreSQL) or per transaction (SQLite): memory stays flat whatever the population.
CHUNK = 50_000
#: SQLite binds at most 32,766 values per statement (3.32+): rows per multi-row INSERT.
SQLITE_VALUES = 32_000


def _rows(workers: int, entries: int, today: date):
    """Every row of the seed, table by table, worker after worker, as Python values."""
    stamp = datetime.now(UTC)
    for number in range(workers):
        worker = uuid.uuid4()
        yield "account", (worker, f"w{number}@bench.example", f"Worker {number}", "x", False, stamp, stamp)
        register, part, years = REGISTRATIONS[number % len(REGISTRATIONS)]
        renewal = today + timedelta(days=1 + number % 400)
        start = renewal.replace(year=renewal.year - years) + timedelta(days=1)
        edition = "2024" if register == "sssc" else ""
        row = (uuid.uuid4(), worker, register, "R-1", part, start, renewal, edition, "", stamp, stamp)
        yield "registration", row
        for made in range(entries):
            occurred = today - timedelta(days=(number + made * 97) % 1095)
            kind = KINDS[made % len(KINDS)]
            content = (kind, f"Course {made}", occurred, 60 * (1 + made % 4), made % 2 == 1, "course")
            reflection = WRITTEN if kind == "reflective_account" else UNWRITTEN_REFLECTION
            constant = ("", reflection, "[]", "", "", "", 1, made + 1, stamp, stamp)
            yield "evidence_entry", (uuid.uuid4(), worker, *content, *constant)
        yield "evidence_change_counter", (worker, entries)


def _sqlite_value(value):
    """As Piccolo writes each type on SQLite (UUIDs, days and times as text, booleans as 0/1)."""
    if isinstance(value, uuid.UUID | date):  # a datetime is a date too: ``str`` as Piccolo writes it
        return str(value)
    return int(value) if isinstance(value, bool) else value


def _sqlite_insert(connection: sqlite3.Connection, table: str, rows: list[tuple]) -> None:
    """Multi-row INSERTs, as many rows per statement as SQLite binds values."""
    columns = _COLUMNS[table]
    per_statement = SQLITE_VALUES // len(columns)
    row_marks = "(" + ",".join("?" * len(columns)) + ")"
    for first in range(0, len(rows), per_statement):
        chunk = rows[first : first + per_statement]
        sql = f"INSERT INTO {table} ({','.join(columns)}) VALUES " + ",".join([row_marks] * len(chunk))
        connection.execute(sql, [_sqlite_value(value) for row in chunk for value in row])


def seed_sqlite(path: Path, workers: int, entries: int) -> None:
    connection = sqlite3.connect(path, timeout=60)
    connection.execute("PRAGMA synchronous = OFF")
    pending: dict[str, list] = {name: [] for name in _COLUMNS}

    def flush() -> None:
        for name, rows in pending.items():  # in foreign-key order
            _sqlite_insert(connection, name, rows)
            rows.clear()
        connection.commit()

    for table, row in _rows(workers, entries, date.today()):
        pending[table].append(row)
        if len(pending["evidence_entry"]) >= CHUNK:
            flush()
    flush()
    connection.execute("ANALYZE")
    connection.close()


async def seed_postgres(url: str, workers: int, entries: int) -> None:
    connection = await asyncpg.connect(url)
    pending: dict[str, list] = {name: [] for name in _COLUMNS}

    async def flush() -> None:
        async with connection.transaction():
            for name, rows in pending.items():  # in foreign-key order
                if rows:
                    await connection.copy_records_to_table(name, records=rows, columns=_COLUMNS[name])
                rows.clear()

    for table, row in _rows(workers, entries, date.today()):
        pending[table].append(row)
        if len(pending["evidence_entry"]) >= CHUNK:
            await flush()
    await flush()
    await connection.execute("ANALYZE")
    await connection.close()


async def computation(now: datetime) -> tuple[int, int]:
    """Everything a run does before sending: (reminders due, workers read)."""
    due = workers = 0
    async for batch in registration_batches(now):
        workers += len(batch.preferences)
        done = await taken([key for reminder in batch.reminders for key in reminder.keys])
        due += sum(not any(key in done for key in reminder.keys) for reminder in batch.reminders)
    return due, workers


async def record_checks(now: datetime) -> None:
    """What a run leaves behind with nothing to send: each worker's next check day."""
    async for batch in registration_batches(now):
        async with db.write_transaction():
            await save_checks(list(batch.checks.values()))


async def baseline(owners: list, today: date) -> float:
    """Seconds per worker of the per-worker path (``my_progress`` one worker at a time)."""
    started = time.perf_counter()
    for owner in owners:
        await my_progress(owner, today)
    return (time.perf_counter() - started) / len(owners)


async def measure(settings: Settings, args: argparse.Namespace) -> dict:
    engine = db.build_engine(settings)
    db.bind_engine(engine)
    await db.open_database(engine, settings, statement_timeout=False)
    try:
        gc.freeze()  # as the server does after start-up (cpl.app)
        now = datetime.now(UTC).replace(hour=12)
        started = time.perf_counter()
        due, workers = await computation(now)
        cold = time.perf_counter() - started
        await record_checks(now)
        steady = {}
        for label, moment in (("same day", now + timedelta(hours=1)), ("next day", now + timedelta(days=1))):
            seconds, judged = [], 0
            for _ in range(args.runs):
                started = time.perf_counter()
                judged = (await computation(moment))[1]
                seconds.append(time.perf_counter() - started)
            steady[label] = (seconds, judged)
        rows = await db.Sql("SELECT owner FROM registration ORDER BY id LIMIT {}").rows(args.baseline_workers)
        per_worker = await baseline([row["owner"] for row in rows], now.date())
    finally:
        await db.close_database(engine)
    return {"cold": cold, "due": due, "workers": workers, "steady": steady, "baseline": per_worker * workers}


async def on_sqlite(args: argparse.Namespace) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="cpl-bench-reminders-"))
    settings = Settings(data_dir=folder, database_url=f"sqlite:///{folder / 'cpl.sqlite3'}")
    await migrate_database(settings)
    started = time.perf_counter()
    await asyncio.to_thread(seed_sqlite, folder / "cpl.sqlite3", args.workers, args.entries)
    print(f"sqlite: seeded in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return await measure(settings, args)


async def on_postgres(args: argparse.Namespace) -> dict:
    admin = await asyncpg.connect(args.postgres)
    await admin.execute(f'DROP DATABASE IF EXISTS "{args.bench_database}" WITH (FORCE)')
    await admin.execute(f'CREATE DATABASE "{args.bench_database}"')
    await admin.close()
    url = args.postgres.rsplit("/", 1)[0] + f"/{args.bench_database}"
    settings = Settings(data_dir=Path(tempfile.mkdtemp(prefix="cpl-bench-reminders-")), database_url=url)
    await migrate_database(settings)
    started = time.perf_counter()
    await seed_postgres(url, args.workers, args.entries)
    print(f"postgres: seeded in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return await measure(settings, args)


def _line(name: str, result: dict) -> str:
    cold, baseline = result["cold"], result["baseline"]
    parts = [
        f"- {name}: {result['workers']:,} workers, {result['due']:,} reminders due. **First run** (no worker "
        f"judged before: every record read and every rule judged) {cold:.1f} s (target < {TARGET_SECONDS:.0f} s: "
        f"{'met' if cold < TARGET_SECONDS else 'NOT met'}); baseline, per-worker progress extrapolated: "
        f"{baseline:.0f} s ({baseline / cold:.1f}× the batches' time)"
    ]
    for label, (seconds, judged) in result["steady"].items():
        median = statistics.median(seconds)
        runs = " / ".join(f"{value:.2f}" for value in seconds)
        parts.append(
            f"  - later run, {label}: {judged:,} workers judged again; runs {runs} s, **median {median:.2f} s** "
            f"({'met' if median < TARGET_SECONDS else 'NOT met'})"
        )
    return "\n".join(parts)


async def main(args: argparse.Namespace) -> None:
    load_before = os.getloadavg()[0]
    results = {}
    if args.database in ("sqlite", "both"):
        results["SQLite"] = await on_sqlite(args)
    if args.database in ("postgres", "both"):
        results["PostgreSQL"] = await on_postgres(args)
    versions = await server_versions(args.postgres)
    command = ".venv/bin/python -m bench.reminders " + shlex.join(sys.argv[1:])
    lines = [
        f"Command: `{command.strip()}`; {args.workers:,} workers × {args.entries} entries, one registration each.",
        "",
        machine_description(versions, "none (in-process)", (load_before, os.getloadavg()[0])),
        "",
        *[_line(name, result) for name, result in results.items()],
    ]
    publish("\n".join(lines), args.record, bench="bench.reminders", heading=HEADING)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline-workers", type=int, default=500)
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    parser.add_argument("--bench-database", default=BENCH_DATABASE, help="PostgreSQL: dropped and made again")
    parser.add_argument("--record", action="store_true")
    asyncio.run(main(parser.parse_args()))
