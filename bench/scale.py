"""Bench: cpl at a register's scale (issue 18, item 7) — the same requests on an almost empty
PostgreSQL database, at 100,000 entries (1,000 workers) and at 1,000,000 entries (10,000 workers),
and batch ingest through nginx in front of three ``cpl serve`` nodes, against the same streams
sent straight to the nodes.

Run from the repository root (PostgreSQL on 127.0.0.1, nginx installed)::

    .venv/bin/python -m bench.scale            # print the results
    .venv/bin/python -m bench.scale --record   # and write them into bench/RESULTS.md
    .venv/bin/python -m bench.scale --only ingest  # batch ingest alone, on a database of the measured people

It drops and creates the database ``cpl_bench_scale`` (``--database``), runs ``cpl migrate``,
writes the measured people (``bench.scale_seed``), starts three nodes and nginx
(``bench.cluster``: infra/nginx/cpl-locations.conf as is), then for each size: loads the
population up to it with COPY, and times on node 1 the requests of ``bench.scale_measure`` (p50
and p99 of ``--turns`` interleaved turns; sync catch-ups ``--catch-ups`` times). Targets: each p99
within 1.5× of the almost empty database's, and ≥ 2,500 entries/s of batch ingest through nginx.
The database is left in place afterwards, for EXPLAIN ANALYZE.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import asyncpg
import psutil

from bench import scale_seed
from bench.cluster import Nginx, ServeProcess
from bench.report import machine_description, publish
from bench.scale_measure import CpuMeter, People, catch_ups, ingest, latencies, small_requests
from bench.stats import median, percentile

HEADING = "## Scale: 1,000,000 entries across 10,000 workers, three nodes behind nginx (issue 18, item 7)"
SERVER = "postgres://postgres@127.0.0.1:5432"
RATIO_TARGET, INGEST_TARGET = 1.5, 2_500
CATCH_UP = "sync catch-up, whole record (all pages)"
#: Three nodes importing at once on a machine other sessions keep busy have taken over 3 minutes.
NODE_START_SECONDS = 900
#: Population sizes measured after the almost empty database, in workers (100 entries each).
SIZES = (1_000, 10_000)


@dataclass
class Measured:
    load_seconds: dict[int, float] = field(default_factory=dict)
    latencies: dict[int, dict[str, list[float]]] = field(default_factory=dict)
    catch_ups: dict[int, list[float]] = field(default_factory=dict)
    #: Mean CPU ms per request (node 1 and PostgreSQL), by size and request.
    cpu: dict[int, dict[str, float]] = field(default_factory=dict)
    catch_up_changes: int = 0
    ingest: dict[str, list[float]] = field(default_factory=dict)
    ingest_failures: int = 0
    ingest_entries: dict[str, int] = field(default_factory=dict)
    #: CPU seconds by way (through nginx, straight) and process group (cpl, nginx, postgres).
    ingest_cpu: dict[str, dict[str, float]] = field(default_factory=dict)
    small: dict[str, list[float]] = field(default_factory=dict)
    start_seconds: float = 0.0


async def fresh_database(name: str) -> str:
    admin = await asyncpg.connect(f"{SERVER}/postgres")
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return f"{SERVER}/{name}"


def nodes_for(url: str, folder: Path) -> list[ServeProcess]:
    environment = {
        "CPL_DATABASE_URL": url,
        "CPL_STORAGE_URL": f"file://{folder / 'store'}",
        "CPL_TRUSTED_PROXIES": "127.0.0.1",
        "CPL_LOG_LEVEL": "WARNING",
    }
    return [ServeProcess(f"node-{number}", folder, environment) for number in (1, 2, 3)]


async def _sizes(args, url: str, people: People, employers: dict, node: ServeProcess, result: Measured) -> None:
    today, loaded = date.today(), 0
    for size in (0, *SIZES):
        if size:
            print(f"loading workers {loaded:,} to {size:,} ...", file=sys.stderr, flush=True)
            started = time.perf_counter()
            await scale_seed.population(url, loaded, size - loaded, employers, today)
            result.load_seconds[size], loaded = time.perf_counter() - started, size
        print(f"measuring at {size:,} workers ...", file=sys.stderr, flush=True)
        meter = CpuMeter({"cpl": [node.pid]}, args.database)
        result.latencies[size], result.cpu[size] = await latencies(
            node.url, people, today, args.turns, args.warmup, meter
        )
        result.catch_ups[size], result.catch_up_changes, result.cpu[size][CATCH_UP] = await catch_ups(
            node.url, people, args.catch_ups, meter
        )


async def _ingest(args, proxy: Nginx, nodes: list[ServeProcess], people: People, result: Measured) -> None:
    """Rounds through nginx and straight to the nodes (each stream to one node), alternated; the CPU
    each round cost the nodes, nginx and PostgreSQL."""
    ways = {"through nginx": [proxy.url], "straight to the nodes": [node.url for node in nodes]}
    assert proxy.process is not None
    nginx = [proxy.process.pid, *(child.pid for child in psutil.Process(proxy.process.pid).children())]
    pids = {"cpl": [node.pid for node in nodes], "nginx": nginx}
    for urls in ways.values():  # the nodes' pools grow to what ingest needs before anything is counted
        await ingest(urls, people.ingest, 3, date.today())
    for _ in range(args.ingest_rounds):
        for name, urls in ways.items():
            meter = CpuMeter(pids, args.database)
            before = meter.read()
            entries, seconds, failed = await ingest(urls, people.ingest, args.ingest_seconds, date.today())
            after = meter.read()
            result.ingest.setdefault(name, []).append(entries / seconds)
            result.ingest_failures += failed
            result.ingest_entries[name] = result.ingest_entries.get(name, 0) + entries
            for group, used in after.items():
                spent = result.ingest_cpu.setdefault(name, {})
                spent[group] = spent.get(group, 0.0) + used - before[group]
    result.small = await small_requests(
        {"through nginx": proxy.url, "straight to node 1": nodes[0].url}, people.typical, args.turns
    )


async def run(args, folder: Path) -> Measured:
    url = await fresh_database(args.database)
    environment = {**os.environ, "CPL_DATABASE_URL": url, "CPL_DATA_DIR": str(folder / "migrate")}
    cpl = Path(sys.executable).with_name("cpl")
    await asyncio.to_thread(subprocess.run, [str(cpl), "migrate"], env=environment, check=True, capture_output=True)
    tokens, employer = await scale_seed.measured_people(url, date.today(), args.streams)
    people = People(**tokens)
    result = Measured()
    nodes, proxy = nodes_for(url, folder), None
    try:
        started = time.perf_counter()
        for node in nodes:
            node.start()
        await asyncio.gather(*(asyncio.to_thread(node.wait_ready, NODE_START_SECONDS) for node in nodes))
        result.start_seconds = time.perf_counter() - started
        proxy = Nginx(folder, nodes).start()
        if args.only != "ingest":
            await _sizes(args, url, people, {0: employer}, nodes[0], result)
        print("ingest ...", file=sys.stderr, flush=True)
        await _ingest(args, proxy, nodes, people, result)
    finally:
        if proxy is not None:
            proxy.stop()
        for node in nodes:
            node.stop()
    return result


def _latency_rows(result: Measured) -> list[str]:
    """p50 / p99 and CPU per request at each size; the ratios of the largest size to the almost empty
    database, and of the control's, which shows how much busier the machine itself became."""
    sizes = (0, *SIZES)
    names = [f"{size * scale_seed.ENTRIES_PER_WORKER:,} entries" if size else "almost empty" for size in sizes]
    rows = [
        "| request: p50 / p99 ms (CPU ms) | " + " | ".join(names) + " | p99 ratio | CPU ratio |",
        "|---|" + "---:|" * (len(sizes) + 2),
    ]
    series = {name: {size: sorted(result.latencies[size][name]) for size in sizes} for name in result.latencies[0]}
    series[CATCH_UP] = {size: sorted(result.catch_ups[size]) for size in sizes}
    for name, by_size in series.items():
        cells = [
            f"{percentile(by_size[size], 50):.1f} / {percentile(by_size[size], 99):.1f} ({result.cpu[size][name]:.1f})"
            for size in sizes
        ]
        ratio = percentile(by_size[sizes[-1]], 99) / percentile(by_size[0], 99)
        cpu_ratio = result.cpu[sizes[-1]][name] / result.cpu[0][name]
        rows.append(f"| {name} | " + " | ".join(cells) + f" | {ratio:.2f}× | {cpu_ratio:.2f}× |")
    return rows


def _cpu_lines(result: Measured) -> list[str]:
    """CPU per entry ingested, by process group, and the rate two cores given to this alone would carry."""
    lines = ["| ingest, CPU ms per entry | cpl (3 nodes) | nginx | PostgreSQL | total | entries/s on 2 whole cores |"]
    lines.append("|---|---:|---:|---:|---:|---:|")
    for way, spent in result.ingest_cpu.items():
        per = {group: seconds * 1000 / result.ingest_entries[way] for group, seconds in spent.items()}
        total = sum(per.values())
        lines.append(
            f"| {way} | {per['cpl']:.3f} | {per['nginx']:.3f} | {per['postgres']:.3f} | {total:.3f} | "
            f"{2000 / total:,.0f} |"
        )
    return lines


def section(args, result: Measured, machine: str) -> str:
    command = ".venv/bin/python -m bench.scale " + shlex.join(sys.argv[1:])
    nginx, direct = median(result.ingest["through nginx"]), median(result.ingest["straight to the nodes"])
    small = {name: sorted(values) for name, values in result.small.items()}
    cost = percentile(small["through nginx"], 50) - percentile(small["straight to node 1"], 50)
    loads = ", ".join(f"{size:,} workers in {seconds:.0f} s" for size, seconds in result.load_seconds.items())
    sizes = (
        []
        if not result.latencies
        else [
            f"Population loaded with COPY through cpl's tables ({loads}); three nodes started in "
            f"{result.start_seconds:.1f} s. Latencies on node 1, one keep-alive connection, {args.turns} "
            f"interleaved turns after {args.warmup} (sync catch-up of {result.catch_up_changes:,} changes: "
            f"{args.catch_ups} runs, 200 a page).",
            "",
            *_latency_rows(result),
            "",
        ]
    )
    return "\n".join(
        [
            f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `{command.strip()}`.",
            "",
            f"Machine: {machine}.",
            "",
            *sizes,
            f"Batch ingest ({args.streams} streams, batches of 100 new entries, {args.ingest_seconds:.0f} s a round, "
            f"{args.ingest_rounds} rounds each way, alternated; {result.ingest_failures} failed requests): "
            f"through nginx {nginx:,.0f} entries/s (rounds: "
            f"{' / '.join(f'{rate:,.0f}' for rate in result.ingest['through nginx'])}), straight to the three nodes "
            f"{direct:,.0f} entries/s ({' / '.join(f'{rate:,.0f}' for rate in result.ingest['straight to the nodes'])})"
            f": nginx keeps {nginx / direct:.0%} of it. Target ≥ {INGEST_TARGET:,} entries/s through nginx: "
            f"{'**met**' if nginx >= INGEST_TARGET else '**missed**'}.",
            "",
            *_cpu_lines(result),
            "",
            f"nginx's own cost per request (`GET /v1/me`, {args.turns} interleaved): through nginx p50 "
            f"{percentile(small['through nginx'], 50):.2f} ms, p99 {percentile(small['through nginx'], 99):.2f} ms; "
            f"straight to node 1 p50 {percentile(small['straight to node 1'], 50):.2f} ms, p99 "
            f"{percentile(small['straight to node 1'], 99):.2f} ms: {cost:+.2f} ms at the median.",
        ]
    )


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="cpl_bench_scale")
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--catch-ups", type=int, default=10)
    parser.add_argument("--streams", type=int, default=12, help="concurrent batch-ingest streams")
    parser.add_argument("--ingest-seconds", type=float, default=15.0)
    parser.add_argument("--ingest-rounds", type=int, default=3)
    parser.add_argument(
        "--only",
        choices=("all", "ingest"),
        default="all",
        help="ingest: batch ingest alone (and nginx's cost per request), no population and no latencies",
    )
    parser.add_argument("--record", action="store_true", help="write the results into bench/RESULTS.md")
    args = parser.parse_args(argv)
    loads = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory(prefix="cpl-bench-scale-") as folder:
        result = await run(args, Path(folder))
    loads.append(os.getloadavg()[0])
    admin = await asyncpg.connect(f"{SERVER}/postgres")
    version = await admin.fetchval("SHOW server_version")
    await admin.close()
    machine = machine_description(f"PostgreSQL {version}", "httpx", tuple(loads))
    publish(section(args, result, machine), args.record, bench="bench.scale", heading=HEADING)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
