"""Bench: instructions the server executes per ``PUT /v1/evidence/{id}``, counted by callgrind.

Run from the repository root (needs valgrind and wrk: ``apt-get install valgrind wrk``)::

    .venv/bin/python -m bench.put_instructions            # print the results
    .venv/bin/python -m bench.put_instructions --record   # and write them into bench/RESULTS.md

Requests a second on these shared two-core machines move by ±30 % from one run to the
next; the instructions a server executes for the same requests do not (repeat runs agree
to within 0.5 %). So next to ``bench.put_evidence`` this one starts ``cpl serve`` on a
scratch PostgreSQL database, and the bare Litestar app, each under
``valgrind --tool=callgrind`` with counting off; warms each up; then counts what the
server process executes during ``--seconds`` of the same PUT-create load from a few
connections. User-space instructions only: the kernel's part (sockets) and PostgreSQL's
are not in it, so it shows what a change to cpl's code costs, not the throughput.
"""

from __future__ import annotations

import argparse
import asyncio
import glob
import os
import subprocess
import tempfile
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from pathlib import Path

from bench import closed_loop, report
from bench.bare_app import BARE_PUT_PREFIX
from bench.put_evidence import DEFAULT_POSTGRES
from bench.servers import (
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

HEADING = "## Instructions per PUT under callgrind (issue 2, item 8)"
BARE, POSTGRES = "bare Litestar", "PUT on PostgreSQL"


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.put_instructions", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=20, help="length of the counted load")
    parser.add_argument("--connections", type=int, default=4, help="concurrent connections")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="database to create the scratch one from")
    parser.add_argument("--record", action="store_true", help="write the results into bench/RESULTS.md")
    return parser.parse_args(argv)


def _callgrind(pid: int, *options: str) -> None:
    subprocess.run(["callgrind_control", *options, str(pid)], check=True, capture_output=True)


def _counted_instructions(out_file: Path) -> int:
    """The instructions in every dump callgrind wrote (one per ``callgrind_control -d``, one at exit)."""
    total = 0
    for path in glob.glob(f"{out_file}*"):
        for line in Path(path).read_text().splitlines():
            if line.startswith("totals:"):
                total += int(line.split()[1])
    return total


async def count(name: str, args: argparse.Namespace, workdir: Path) -> tuple[int, float]:
    """Requests answered and instructions per request for one server under callgrind."""
    async with AsyncExitStack() as stack:
        port = free_port()
        if name == BARE:
            command, environment = bare_command(port), cpl_environment()
        else:
            database_url = await stack.enter_async_context(scratch_postgres(args.postgres))
            command, environment = cpl_serve_command(port), cpl_environment(database_url=database_url)
        out_file = workdir / f"callgrind.{name.split()[-1]}.out"
        valgrind = ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out_file}"]
        server = stack.enter_context(running(name, [*valgrind, *command], environment, workdir / f"{name}.log"))
        await wait_healthy(server, within_seconds=600)
        if name == BARE:
            workload = PutWorkload(BARE_PUT_PREFIX, ["unused"] * args.connections)
        else:
            workload = PutWorkload(CPL_PUT_PREFIX, await register_workers(server.port, args.connections))
        await closed_loop.measure(server, workload, args.connections, 10)  # warm-up, not counted
        _callgrind(server.process.pid, "-i", "on")
        run = await closed_loop.measure(server, workload, args.connections, args.seconds)
        _callgrind(server.process.pid, "-i", "off")
        _callgrind(server.process.pid, "-d")
        if run.status_errors or run.socket_errors:
            raise RuntimeError(f"{name}: {run.status_errors} failed and {run.socket_errors} socket errors")
        return run.requests, _counted_instructions(out_file) / run.requests


def section(results: dict[str, tuple[int, float]], machine: str) -> str:
    bare = results[BARE][1]
    lines = [
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `.venv/bin/python -m bench.put_instructions --record`.",
        "",
        f"Machine: {machine}.",
        "",
        "| target | requests counted | M instructions / request | bare's share |",
        "|---|---:|---:|---:|",
    ]
    for name, (requests, per_request) in results.items():
        lines.append(f"| {name} | {requests:,} | {per_request / 1e6:.3f} | {100 * bare / per_request:.1f}% |")
    return "\n".join(lines)


async def main(argv: list[str] | None = None) -> None:
    args = parse_arguments(argv)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="cpl-callgrind-") as workdir:
        results = {name: await count(name, args, Path(workdir)) for name in (BARE, POSTGRES)}
    versions = await server_versions(args.postgres)
    load = (load_before, os.getloadavg()[0])
    machine = report.machine_description(
        versions, f"{closed_loop.generator_name()}, {args.connections} connections", load
    )
    report.publish(section(results, machine), args.record, "bench.put_instructions", HEADING)


if __name__ == "__main__":
    asyncio.run(main())
