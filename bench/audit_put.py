"""Bench: the evidence ``PUT`` before and after the audit log (issue 16), in the same run.

The worker's own writes are not audited, so the PUT path should cost what it did. Run from the
repository root, with the code before the change unpacked somewhere (no git worktree needed)::

    git archive <base commit> src | tar -x -C /tmp/audit-base
    .venv/bin/python -m bench.audit_put --before-src /tmp/audit-base/src --runs 5

It starts ``cpl serve`` on SQLite twice — once importing ``cpl`` from ``--before-src``
(``PYTHONPATH``), once this checkout — registers the same number of workers on each, then in
each round drives both flat out in turn (closed loop, ``--connections``, order alternating
between rounds) and reports the medians of req/s and of the server's CPU milliseconds per PUT,
the figure that moves least when other work shares the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from contextlib import ExitStack
from pathlib import Path

from bench import closed_loop
from bench.servers import cpl_environment, cpl_serve_command, free_port, running, wait_healthy
from bench.stats import median
from bench.workload import CPL_PUT_PREFIX, PutWorkload, register_workers


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.audit_put", description=__doc__.split("\n\n")[0])
    parser.add_argument("--before-src", required=True, help="the src/ folder of the code before the change")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=16)
    return parser.parse_args(argv)


async def run(args: argparse.Namespace, workdir: Path) -> dict[str, list[closed_loop.ThroughputRun]]:
    with ExitStack() as stack:
        servers = {}
        for name, pythonpath in (("before", args.before_src), ("after", None)):
            environment = cpl_environment(data_dir=str(workdir / name))
            if pythonpath:
                environment["PYTHONPATH"] = pythonpath
            command = cpl_serve_command(free_port())
            servers[name] = stack.enter_context(running(name, command, environment, workdir / f"{name}.log"))
        await asyncio.gather(*(wait_healthy(server) for server in servers.values()))
        loads = {
            name: PutWorkload(CPL_PUT_PREFIX, await register_workers(server.port, args.workers))
            for name, server in servers.items()
        }
        results: dict[str, list[closed_loop.ThroughputRun]] = {name: [] for name in servers}
        for name in servers:
            await closed_loop.measure(servers[name], loads[name], args.connections, args.warmup)
        for round_number in range(args.runs):
            order = list(servers) if round_number % 2 == 0 else list(reversed(servers))
            for name in order:
                results[name].append(
                    await closed_loop.measure(servers[name], loads[name], args.connections, args.seconds)
                )
        return results


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="cpl-bench-audit-") as folder:
        results = asyncio.run(run(args, Path(folder)))
    generator = closed_loop.generator_name()
    print(f"closed loop, {args.connections} connections, {args.runs} runs of {args.seconds} s, {generator}")
    print(f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")
    print("| code | req/s (median) | server CPU ms/PUT (median) | failed answers |")
    print("|---|---:|---:|---:|")
    for name, runs in results.items():
        rate = median([item.requests_per_second for item in runs])
        cpu = median([item.server_cpu_ms_per_request for item in runs])
        errors = sum(item.status_errors + item.socket_errors for item in runs)
        print(f"| {name} | {rate:,.0f} | {cpu:.2f} | {errors} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
