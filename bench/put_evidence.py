"""Bench: authenticated ``PUT /v1/evidence/{id}`` over HTTP against a running ``cpl serve``.

Run from the repository root::

    .venv/bin/python -m bench.put_evidence            # print the results
    .venv/bin/python -m bench.put_evidence --record   # and write them into bench/RESULTS.md

It starts three servers with the same uvicorn settings (uvloop, httptools, one worker):
``cpl serve`` on SQLite (a temporary data directory), ``cpl serve`` on a scratch
PostgreSQL database (created for the run, dropped after), and the bare Litestar app of
bench/bare_app.py. Then, in each of ``--runs`` rounds, it measures every server's
throughput with ``--connections`` concurrent connections (closed loop) and its latency
at ``--rate`` requests a second (open loop), and reports medians, the ratio to the bare
endpoint, and issue 2's targets. Every PUT creates a new entry for one of ``--workers``
registered workers in turn.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shlex
import sys
import tempfile
from collections.abc import Awaitable
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import uvloop

from bench import closed_loop, fixed_rate, report
from bench.bare_app import BARE_PUT_PREFIX
from bench.report import TargetResult
from bench.servers import (
    Server,
    bare_command,
    cpl_environment,
    cpl_serve_command,
    free_port,
    running,
    scratch_postgres,
    server_versions,
    wait_healthy,
)
from bench.workload import CPL_PUT_PREFIX, PutWorkload, register_workers
from cpl.settings import Settings

Run = TypeVar("Run")
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/test"
BARE, SQLITE, POSTGRES = "bare Litestar", "PUT on SQLite", "PUT on PostgreSQL"
#: A request still waiting for SQLite's write lock when the load stops fails, if it is going
#: to, once cpl's busy timeout has passed; the log is read only after that.
SQLITE_SETTLE_SECONDS = Settings.model_fields["sqlite_busy_timeout_seconds"].default + 2


#: The bench signs up ``--workers`` workers from 127.0.0.1 on each server, more than the sign-up
#: throttle allows from one address (``signup_attempts_per_address``, 30 an hour).
UNTHROTTLED = {"signup_attempts_per_address": "100000"}


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.put_evidence", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="rounds of measurement; medians are reported")
    parser.add_argument("--seconds", type=int, default=10, help="length of each throughput measurement")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of load before measuring")
    parser.add_argument("--connections", type=int, default=32, help="concurrent connections (writers)")
    parser.add_argument("--rate", type=float, default=200, help="requests a second for the latency test")
    parser.add_argument("--rate-seconds", type=float, default=15, help="length of each latency measurement")
    parser.add_argument("--workers", type=int, default=32, help="registered workers the PUTs rotate through")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="database to create the scratch one from")
    parser.add_argument("--record", action="store_true", help="write the results into bench/RESULTS.md")
    return parser.parse_args(argv)


async def start_servers(stack: AsyncExitStack, args: argparse.Namespace, workdir: Path) -> dict[str, Server]:
    """Start the bare app and ``cpl serve`` on both databases; return them once healthy."""
    postgres_url = await stack.enter_async_context(scratch_postgres(args.postgres))
    commands = {
        BARE: (bare_command(free_port()), cpl_environment()),
        SQLITE: (cpl_serve_command(free_port()), cpl_environment(data_dir=str(workdir / "sqlite"), **UNTHROTTLED)),
        POSTGRES: (cpl_serve_command(free_port()), cpl_environment(database_url=postgres_url, **UNTHROTTLED)),
    }
    servers = {
        name: stack.enter_context(running(name, command, environment, workdir / f"{name.split()[-1]}.log"))
        for name, (command, environment) in commands.items()
    }
    await asyncio.gather(*(wait_healthy(server) for server in servers.values()))
    return servers


async def workloads(servers: dict[str, Server], workers: int) -> dict[str, PutWorkload]:
    """Register the workers on each cpl server; the bare app gets the same requests, tokens included."""
    sqlite_tokens, postgres_tokens = await asyncio.gather(
        register_workers(servers[SQLITE].port, workers), register_workers(servers[POSTGRES].port, workers)
    )
    return {
        BARE: PutWorkload(BARE_PUT_PREFIX, sqlite_tokens),
        SQLITE: PutWorkload(CPL_PUT_PREFIX, sqlite_tokens),
        POSTGRES: PutWorkload(CPL_PUT_PREFIX, postgres_tokens),
    }


async def watching_log(
    server: Server, test: str, measurement: Awaitable[Run], result: TargetResult, settle_seconds: float = 0
) -> Run:
    """Run one measurement, counting the "database is locked" lines the server logs meanwhile.

    wrk stops counting requests still in flight when its time is up, so the lines of
    those that fail later are waited for (``settle_seconds``) and counted too.
    """
    offset = server.log_size()
    run = await measurement
    await asyncio.sleep(settle_seconds)
    result.locked_lines[test] += server.locked_lines_since(offset)
    return run


async def measure_all(
    servers: dict[str, Server], loads: dict[str, PutWorkload], args: argparse.Namespace
) -> dict[str, TargetResult]:
    """Warm every server up, then take turns so slow drift touches every target alike.

    In each round the throughput runs come first and back to back, bare and PostgreSQL
    next to each other (in turns, which first) so each PostgreSQL run has a bare run from
    the same few seconds to be compared with; SQLite, which needs time to settle after
    its run, comes last; then the latency runs.
    """
    results = {name: TargetResult(name) for name in servers}
    for name, server in servers.items():
        await closed_loop.measure(server, loads[name], args.connections, args.warmup)
    for run in range(1, args.runs + 1):
        order = [BARE, POSTGRES, SQLITE] if run % 2 else [POSTGRES, BARE, SQLITE]
        for name in order:
            print(f"run {run}/{args.runs}: {name} throughput ...", file=sys.stderr, flush=True)
            flat_out = closed_loop.measure(servers[name], loads[name], args.connections, args.seconds)
            settle = SQLITE_SETTLE_SECONDS if name == SQLITE else 0
            results[name].throughput.append(
                await watching_log(servers[name], "throughput", flat_out, results[name], settle)
            )
        for name, server in servers.items():
            print(f"run {run}/{args.runs}: {name} latency ...", file=sys.stderr, flush=True)
            steady = fixed_rate.measure(server.port, loads[name], args.rate, args.rate_seconds)
            results[name].fixed_rate.append(await watching_log(server, "fixed rate", steady, results[name]))
    return results


def results_section(args: argparse.Namespace, results: dict[str, TargetResult], machine: str) -> str:
    bare, sqlite, postgres = results[BARE], results[SQLITE], results[POSTGRES]
    command = ".venv/bin/python -m bench.put_evidence " + shlex.join(sys.argv[1:])
    lines = [
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `{command.strip()}`.",
        "",
        f"Machine: {machine}.",
        "",
        f"Each PUT creates a new entry (fresh UUID) for one of {args.workers} registered workers in turn; "
        "the bare endpoint gets the same requests. All three servers run uvicorn with uvloop, httptools, "
        "1 worker, info logging (access log on).",
        "",
        f"### Throughput: closed loop, {args.connections} connections, {args.seconds:g} s per run, "
        f"median of {args.runs} runs (after {args.warmup:g} s warm-up)",
        "",
        *report.throughput_table(bare, [sqlite, postgres]),
        "",
        '"vs bare" divides the medians; "vs bare, paired" is the median over rounds of each run\'s req/s over '
        "the bare run of its round, which for PostgreSQL ran just before or after it (in turns): it cancels the "
        "drift of these shared machines over a round, which a ratio of medians does not. The target is judged on it. "
        "Server CPU ms/request: user + system CPU time of the server process during the run, divided by the "
        "answered requests (PostgreSQL's own processes not included). \"vs bare by CPU\" is bare's CPU per "
        "request divided by this one's: the throughput ratio to expect while the server process is the "
        "bottleneck, as it is here. It moves far less than req/s when other work competes for the cores.",
        "",
        f"### Latency at {args.rate:g} requests/s: open loop, {args.rate_seconds:g} s per run, "
        f"median of {args.runs} runs, measured from each request's scheduled send time",
        "",
        *report.fixed_rate_table([bare, sqlite, postgres]),
        "",
        "### Targets (issue 2)",
        "",
        *report.target_verdicts(bare, sqlite, postgres, args.connections),
    ]
    return "\n".join(lines)


async def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="cpl-bench-") as workdir:
        async with AsyncExitStack() as stack:
            servers = await start_servers(stack, args, Path(workdir))
            results = await measure_all(servers, await workloads(servers, args.workers), args)
    versions = await server_versions(args.postgres)
    machine = report.machine_description(versions, closed_loop.generator_name(), (load_before, os.getloadavg()[0]))
    section = results_section(args, results, machine)
    report.publish(section, args.record)
    return 0


if __name__ == "__main__":
    raise SystemExit(uvloop.run(main()))
