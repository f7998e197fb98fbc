"""Bench: an organisation's workforce view with 10,000 sharing workers, each with a registration and
200 entries — 2,000,000 entries (issue 15, item 7) — over HTTP against ``cpl serve`` on SQLite or
PostgreSQL.

Run from the repository root::

    .venv/bin/python -m bench.workforce            # print the results
    .venv/bin/python -m bench.workforce --record   # and write them into bench/RESULTS.md
    .venv/bin/python -m bench.workforce --database postgres --record   # on PostgreSQL (a scratch database)

It starts ``cpl serve`` (one worker) on a fresh database, makes an admin through the API (a
second factor, as administering needs), creates two employers, then writes the workforce straight
into the database (COPY on PostgreSQL, ``executemany`` on SQLite; 2,000,000 entries through the API would take
hours): for the large employer ``--workers`` accounts, each a current worker with a filter share of
everything with the employer, an SSSC early learning and childcare registration and ``--entries``
entries spread over three years; the baseline employer the same with ``--baseline-workers``.

Measured, on one keep-alive connection:
- the first request after the seed (every worker's line judged once and stored, as after the
  migration's backfill);
- then ``cpl serve`` is restarted on the same database: the first request after the restart (cold);
- the first page right after one worker logs an entry (``--writes`` times);
- ``GET …/workforce?limit=50`` (the first page, with counts over the whole set) on the large and on
  the baseline employer, interleaved, ``--samples`` times after a warm-up; target p99 < 300 ms;
- ``GET …/workforce.csv`` of all workers, ``--csv-runs`` times, read to the last byte, with the
  server's resident memory sampled every 10 ms (its growth over the request: flat memory means
  it does not grow with the file); target < 10 s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shlex
import sqlite3
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx
import psutil
import pyotp

from bench.report import machine_description, publish
from bench.scale_seed import COLUMNS, Rows
from bench.servers import (
    HOST,
    cpl_environment,
    cpl_serve_command,
    free_port,
    running,
    scratch_postgres,
    server_versions,
    wait_healthy,
)
from bench.stats import median, percentile
from bench.workload import register_worker

HEADING = "## Workforce view: 10,000 sharing workers, 2,000,000 entries (issue 15, item 7)"
PAGE_TARGET_MS, CSV_TARGET_S = 300.0, 10.0
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/test"
FAST_HASHING = {"argon2_time_cost": "1", "argon2_memory_cost_kib": "64", "argon2_parallelism": "1"}


@dataclass
class Employer:
    id: str
    workers: int


@dataclass
class Measured:
    seed_seconds: float
    #: The first request after the seed: every line judged once (as after the migration's backfill).
    build_ms: dict[str, float] = field(default_factory=dict)
    #: The first request after the server restarted on the same database.
    cold_ms: dict[str, float] = field(default_factory=dict)
    pages: dict[str, list[float]] = field(default_factory=dict)
    after_write: list[float] = field(default_factory=list)
    csv_seconds: list[float] = field(default_factory=list)
    csv_bytes: int = 0
    csv_rss_growth_mib: list[float] = field(default_factory=list)
    rss_before_mib: float = 0.0


def _now() -> datetime:
    return datetime.now(UTC)


#: What the workforce's handler of the entry events does (cpl.workforce.store.mark_worker).
_MARK = "UPDATE workforce_line SET marked = marked + 1, valid_on = NULL WHERE worker = ?"


def _entry(worker: uuid.UUID, title: str, occurred: date, minutes: int, seq: int) -> tuple:
    now = _now()
    row = (uuid.uuid4(), worker, "learning_activity", title, occurred, minutes, True, "course", "")
    return (*row, "{}", "[]", title.lower(), "", "", 1, seq, now, now)


def _worker_rows(organisation: str, count: int, entries: int, today: date) -> Iterator[tuple[str, tuple]]:
    """Each worker's rows, table by table (generated as inserted: memory stays flat)."""
    employer, stamp = uuid.UUID(organisation), _now()
    start, renewal = today - timedelta(days=200), today + timedelta(days=1600)
    for _ in range(count):
        worker = uuid.uuid4()
        yield "account", (worker, f"w-{worker}@example.org", f"Worker {str(worker)[:8]}", "", False, stamp, stamp)
        yield "membership", (uuid.uuid4(), employer, worker, "worker", stamp)
        yield "evidence_share", (uuid.uuid4(), worker, employer, "filter", stamp, "")
        yield "workforce_line", (employer, worker, "", 1, 0, 4, "[]")
        yield "registration", (uuid.uuid4(), worker, "sssc", "SSSC-1", "elc", start, renewal, "", "", stamp, stamp)
        for number in range(entries):
            yield (
                "evidence_entry",
                _entry(worker, f"Course {number}", today - timedelta(days=(number * 5) % 1095), 60, number + 1),
            )
        yield "evidence_change_counter", (worker, entries)


async def seed_postgres(url: str, employer: Employer, entries: int) -> None:
    """The same rows as :func:`seed`, with COPY (``bench.scale_seed``'s batches: 2,000,000 entries in about a
    minute, where ``executemany`` took minutes)."""
    connection = await asyncpg.connect(url)
    rows = Rows(connection)
    for table, row in _worker_rows(employer.id, employer.workers, entries, date.today()):
        await rows.add(table, row)
    await rows.flush()
    await connection.close()


def _sqlite_insert(table: str) -> str:
    return f"INSERT INTO {table} ({', '.join(COLUMNS[table])}) VALUES ({', '.join('?' for _ in COLUMNS[table])})"


def _sqlite_values(row: tuple) -> tuple:
    """Ids as text, as cpl stores them on SQLite (dates, times and booleans adapt themselves)."""
    return tuple(str(value) if isinstance(value, uuid.UUID) else value for value in row)


def seed(database: Path, employer: Employer, entries: int) -> None:
    """Write the employer's workforce with ``executemany``, a few thousand rows per statement."""
    connection = sqlite3.connect(database, timeout=60)
    connection.execute("PRAGMA synchronous = OFF")
    pending: dict[str, list] = {table: [] for table in COLUMNS}

    def flush() -> None:
        for table, rows in pending.items():  # in foreign-key order
            if rows:
                connection.executemany(_sqlite_insert(table), rows)
                rows.clear()
        connection.commit()

    for table, row in _worker_rows(employer.id, employer.workers, entries, date.today()):
        pending[table].append(_sqlite_values(row))
        if len(pending["evidence_entry"]) >= 50_000:
            flush()
    flush()
    connection.close()


class MemorySampler:
    """The server's resident memory, sampled every 10 ms while a request runs: its peak."""

    def __init__(self, pid: int) -> None:
        self._process = psutil.Process(pid)
        self.peak = self._process.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._process.memory_info().rss)
            time.sleep(0.01)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


async def _admin(port: int) -> tuple[str, dict[str, str]]:
    token = await register_worker(port, 0)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=f"http://{HOST}:{port}", headers=headers, timeout=600) as http:
        secret = (await http.post("/v1/me/second-factor")).json()["secret"]
        confirmed = await http.post("/v1/me/second-factor/confirm", json={"code": pyotp.TOTP(secret).now()})
        assert confirmed.status_code == 200, confirmed.text
        ids = []
        for name in ("Large employer", "Baseline employer"):
            created = await http.post("/v1/organisations", json={"name": name, "kind": "employer"})
            ids.append(created.json()["id"])
    return token, dict(zip(("large", "baseline"), ids, strict=True))


async def _timed_get(http: httpx.AsyncClient, path: str) -> tuple[float, bytes]:
    started = time.perf_counter()
    answer = await http.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    if answer.status_code != 200:
        raise RuntimeError(f"GET {path} answered {answer.status_code}: {answer.text[:300]}")
    return elapsed, answer.content


async def _csv(http: httpx.AsyncClient, path: str, pid: int) -> tuple[float, int, float]:
    """Seconds to the last byte, bytes, and the server's resident memory growth (MiB) over the request."""
    with MemorySampler(pid) as sampler:
        before = sampler.peak
        started, size = time.perf_counter(), 0
        async with http.stream("GET", path) as answer:
            if answer.status_code != 200:
                raise RuntimeError(f"GET {path} answered {answer.status_code}: {(await answer.aread())[:300]!r}")
            async for chunk in answer.aiter_bytes():
                size += len(chunk)
        elapsed = time.perf_counter() - started
    return elapsed, size, (sampler.peak - before) / 2**20


async def write_one_entry(database: str, organisation: str, turn: int) -> None:
    """One worker of the organisation logs an entry (as a PUT would: the row, their change counter, and
    the mark the workforce's handler of ``EntriesSaved`` sets on their lines)."""
    pick = "SELECT owner FROM evidence_share WHERE organisation = ? ORDER BY owner LIMIT 1 OFFSET ?"
    counter = "SELECT last_seq + 1 FROM evidence_change_counter WHERE owner = ?"
    count = "UPDATE evidence_change_counter SET last_seq = ? WHERE owner = ?"
    if database.startswith("postgres"):
        connection = await asyncpg.connect(database)
        worker = await connection.fetchval(_numbered(pick), uuid.UUID(organisation), turn)
        seq = await connection.fetchval(_numbered(counter), worker)
        row = _entry(worker, "A new course", date.today(), 90, seq)
        await connection.execute(_numbered(_sqlite_insert("evidence_entry")), *row)
        await connection.execute(_numbered(count), seq, worker)
        await connection.execute(_numbered(_MARK), worker)
        await connection.close()
        return
    connection = sqlite3.connect(database, timeout=60)
    [worker] = connection.execute(pick, (organisation, turn)).fetchone()
    [seq] = connection.execute(counter, (worker,)).fetchone()
    connection.execute(
        _sqlite_insert("evidence_entry"), _sqlite_values(_entry(worker, "A new course", date.today(), 90, seq))
    )
    connection.execute(count, (seq, worker))
    connection.execute(_MARK, (worker,))
    connection.commit()
    connection.close()


def _numbered(statement: str) -> str:
    """A statement with ``?`` placeholders as PostgreSQL's ``$1``, ``$2`` …"""
    parts = statement.split("?")
    return "".join(part + (f"${number}" if number < len(parts) else "") for number, part in enumerate(parts, start=1))


def _pages(employers: dict[str, Employer]) -> dict[str, str]:
    return {name: f"/v1/organisations/{employer.id}/workforce?limit=50" for name, employer in employers.items()}


async def build(port: int, token: str, employers: dict[str, Employer], result: Measured) -> None:
    """The first request of each employer after the seed: it judges every line."""
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=f"http://{HOST}:{port}", headers=headers, timeout=3600) as http:
        for name, path in _pages(employers).items():
            result.build_ms[name] = (await _timed_get(http, path))[0]


async def measure(
    port: int, pid: int, token: str, employers: dict[str, Employer], args, result: Measured, database: str
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=f"http://{HOST}:{port}", headers=headers, timeout=600) as http:
        pages = _pages(employers)
        for name, path in pages.items():
            result.cold_ms[name] = (await _timed_get(http, path))[0]
        for turn in range(args.warmup + args.samples):
            for name, path in pages.items():
                elapsed = (await _timed_get(http, path))[0]
                if turn >= args.warmup:
                    result.pages.setdefault(name, []).append(elapsed)
        for turn in range(args.writes):
            await write_one_entry(database, employers["large"].id, turn)
            result.after_write.append((await _timed_get(http, pages["large"]))[0])
        result.rss_before_mib = psutil.Process(pid).memory_info().rss / 2**20
        for _ in range(args.csv_runs):
            seconds, size, growth = await _csv(http, f"/v1/organisations/{employers['large'].id}/workforce.csv", pid)
            result.csv_seconds.append(seconds)
            result.csv_bytes = size
            result.csv_rss_growth_mib.append(growth)


async def run(args, workdir: Path, database_url: str = "") -> Measured:
    """Against SQLite in ``workdir``, or the PostgreSQL database at ``database_url``."""
    port = free_port()
    # The scheduled refresh would judge the seeded lines beside the measured requests: once a day here.
    settings = {"data_dir": str(workdir), "database_url": database_url, "workforce_refresh_interval": "86400"}
    settings |= FAST_HASHING
    database = database_url or str(workdir / "cpl.sqlite3")
    with running("cpl", cpl_serve_command(port), cpl_environment(**settings), workdir / "server.log") as server:
        await wait_healthy(server, within_seconds=900)  # the machine is shared: start-up may be slow
        token, ids = await _admin(port)
        employers = {
            "large": Employer(ids["large"], args.workers),
            "baseline": Employer(ids["baseline"], args.baseline_workers),
        }
        print(f"seeding {args.workers:,} + {args.baseline_workers:,} workers ...", file=sys.stderr, flush=True)
        started = time.perf_counter()
        for employer in employers.values():
            if database_url:
                await seed_postgres(database_url, employer, args.entries)
            else:
                seed(Path(database), employer, args.entries)
        result = Measured(time.perf_counter() - started)
        print("judging every line once ...", file=sys.stderr, flush=True)
        await build(port, token, employers, result)
    port = free_port()
    print("restarted; measuring ...", file=sys.stderr, flush=True)
    with running("cpl", cpl_serve_command(port), cpl_environment(**settings), workdir / "server2.log") as server:
        await wait_healthy(server, within_seconds=900)  # the machine is shared: start-up may be slow
        await measure(port, server.process.pid, token, employers, args, result, database)
    return result


def section(args, result: Measured, machine: str) -> str:
    command = ".venv/bin/python -m bench.workforce " + shlex.join(sys.argv[1:])
    large, baseline = sorted(result.pages["large"]), sorted(result.pages["baseline"])
    rows = ["| request | workers | p50 ms | p99 ms | max ms |", "|---|---:|---:|---:|---:|"]
    for label, workers, samples in (("baseline", args.baseline_workers, baseline), ("large", args.workers, large)):
        rows.append(
            f"| first page `GET …/workforce?limit=50` ({label}) | {workers:,} | {percentile(samples, 50):.1f} | "
            f"{percentile(samples, 99):.1f} | {samples[-1]:.1f} |"
        )
    csv_median = median(result.csv_seconds)
    p99 = percentile(large, 99)
    return "\n".join(
        [
            f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `{command.strip()}`.",
            "",
            f"Machine: {machine}.",
            "",
            f"Seeded {args.workers:,} + {args.baseline_workers:,} workers × {args.entries} entries "
            f"({(args.workers + args.baseline_workers) * args.entries:,} entries) straight into the database in "
            f"{result.seed_seconds:.0f} s. {args.samples} turns after {args.warmup} of warm-up, the two employers "
            "interleaved on one keep-alive connection.",
            "",
            *rows,
            "",
            f"- Every line judged once (the first request after the seed, as after the migration's backfill; "
            f"also what a new day costs when a read comes before the scheduled refresh): "
            f"{result.build_ms['large'] / 1000:.1f} s for {args.workers:,} workers, "
            f"{result.build_ms['baseline']:.0f} ms for {args.baseline_workers:,}.",
            f"- Cold (the first request after the server restarted on the same database: lines are stored): "
            f"{result.cold_ms['large']:.0f} ms for {args.workers:,} workers, "
            f"{result.cold_ms['baseline']:.0f} ms for {args.baseline_workers:,}.",
            f"- After one worker's write (their line marked by the event, judged again on the read): "
            f"median {median(result.after_write):.0f} ms, max {max(result.after_write):.0f} ms over "
            f"{args.writes} writes ({args.workers:,} workers).",
            f"- CSV of all {args.workers:,} workers ({result.csv_bytes / 2**20:.1f} MiB): "
            f"median {csv_median:.2f} s over {args.csv_runs} runs "
            f"({', '.join(f'{value:.2f}' for value in result.csv_seconds)} s); server resident memory "
            f"{result.rss_before_mib:.0f} MiB before, growth during each download "
            f"{', '.join(f'{value:.1f}' for value in result.csv_rss_growth_mib)} MiB.",
            "",
            "### Targets (issue 15)",
            "",
            f"- first page p99 {p99:.1f} ms < {PAGE_TARGET_MS:.0f} ms — "
            f"{'**met**' if p99 < PAGE_TARGET_MS else '**MISSED**'} "
            f"(ratio to the {args.baseline_workers:,}-worker baseline of the same run: p50 "
            f"{percentile(large, 50) / percentile(baseline, 50):.2f}×, p99 {p99 / percentile(baseline, 99):.2f}×)",
            f"- CSV median {csv_median:.2f} s < {CSV_TARGET_S:.0f} s — "
            f"{'**met**' if csv_median < CSV_TARGET_S else '**MISSED**'}",
        ]
    )


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=10_000)
    parser.add_argument("--baseline-workers", type=int, default=100)
    parser.add_argument("--entries", type=int, default=200)
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--csv-runs", type=int, default=3)
    parser.add_argument("--writes", type=int, default=10, help="first pages measured each after one worker's write")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="a PostgreSQL server's URL (scratch database)")
    parser.add_argument("--record", action="store_true", help="write the results into bench/RESULTS.md")
    args = parser.parse_args(argv)
    loads = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory(prefix="cpl-bench-workforce-") as workdir:
        if args.database == "postgres":
            async with scratch_postgres(args.postgres) as url:
                result = await run(args, Path(workdir), url)
            versions = await server_versions(args.postgres)
        else:
            result = await run(args, Path(workdir))
            versions = f"SQLite {sqlite3.sqlite_version}"
    loads.append(os.getloadavg()[0])
    machine = machine_description(versions, "httpx, one connection", tuple(loads))
    name = "PostgreSQL" if args.database == "postgres" else "SQLite"
    publish(
        section(args, result, machine),
        args.record,
        bench=f"bench.workforce.{args.database}",
        heading=f"{HEADING}, {name}",
    )
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
