"""Bench: ``GET /v1/me/progress`` for a worker with 5,000 entries on three registrations
(issue 5, item 7), over HTTP against ``cpl serve`` on SQLite and on PostgreSQL.

Run from the repository root::

    .venv/bin/python -m bench.requirements            # print the results
    .venv/bin/python -m bench.requirements --record   # and write them into bench/RESULTS.md

For each database it starts ``cpl serve`` (uvloop, httptools, one worker), registers one
worker and seeds, through the API: three registrations (NMC nurse, HCPC paramedic, SSSC
early learning and childcare), ``--entries`` entries over the last three years (learning
activities, reflective accounts, feedback, practice hours, reflective discussions), links
from the reflective accounts and some activities to the NMC Code and the SSSC elements, and
a peer discussion on every reflective discussion. Then, on one keep-alive connection, each
turn sends the baseline — ``GET /v1/me/registrations``, an authenticated one-query read on
the same server — then ``GET /v1/me/progress``, a new entry, and progress again (so half the
progress requests find the record changed). A second server on the same database with the
entry cache off (``CPL_PROGRESS_CACHE_WORKERS=0``) is measured the same way without the
writes. It reports percentiles and the ratio to the baseline against the target: p99 < 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shlex
import sys
import tempfile
import time
import uuid
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psutil
import uvloop

from bench.client import Connection, Request, call, json_request
from bench.report import machine_description, publish
from bench.servers import (
    HOST,
    Server,
    cpl_environment,
    cpl_serve_command,
    free_port,
    running,
    scratch_postgres,
    server_versions,
    wait_healthy,
)
from bench.stats import percentile
from bench.workload import register_worker

HEADING = "## GET /v1/me/progress: 5,000 entries on three registrations (issue 5, item 7)"
TARGET_P99_MS = 100.0
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/test"
KINDS = (
    ["learning_activity"] * 14
    + ["reflective_account"] * 2
    + ["feedback", "practice_hours", "reflective_discussion", "learning_activity"]
)
TYPES = ["course", "e_learning", "reading", "shadowing", "supervision", "conference", "peer_learning", "research"]
REFLECTION = {
    "what_happened": "A case review.",
    "what_i_learned": "Escalate sooner.",
    "how_it_changes_practice": "I note times.",
}
EMPTY = {"what_happened": "", "what_i_learned": "", "how_it_changes_practice": ""}


@dataclass(frozen=True)
class Measured:
    name: str
    #: Label → sorted latencies in ms.
    series: dict[str, list[float]]
    #: Label → the server process's CPU time per request, in ms (the mean).
    cpu_ms: dict[str, float]
    progress_bytes: int
    rules: int


BASELINE = "baseline `GET /v1/me/registrations`"
UNCHANGED = "progress, record unchanged since the last request"
AFTER_WRITE = "progress, right after a write"
UNCACHED = "progress, entry cache off (reads every entry each time)"


async def _send(port: int, token: str, method: str, path: str, body=None) -> bytes:
    headers = {"Authorization": f"Bearer {token}"}
    request = json_request(method, path, body, headers) if body is not None else Request(method, path, headers)
    status, answer = await call(HOST, port, request)
    if status >= 300:
        raise RuntimeError(f"{method} {path} answered {status}: {answer[:300]!r}")
    return answer


def _entry(number: int, today: date) -> dict:
    kind = KINDS[number % len(KINDS)]
    minutes = 480 if kind == "practice_hours" else 30 + (number * 37) % 210
    return {
        "id": str(uuid.uuid4()),
        "kind": kind,
        "title": f"Bench entry {number}",
        "occurred_on": (today - timedelta(days=number * 1095 // 5000 % 1095)).isoformat(),
        "duration_minutes": minutes,
        "participatory": number % 3 != 0,
        "activity_type": TYPES[number % len(TYPES)],
        "reflection": REFLECTION if number % 2 else EMPTY,
        "tags": ["bench"],
    }


async def _codes(port: int, token: str) -> dict[str, str]:
    """Code → item id across the built-in frameworks the links use."""
    frameworks = json.loads(await _send(port, token, "GET", "/v1/frameworks"))
    found: dict[str, str] = {}
    for framework in frameworks:
        if framework["title"].startswith(("The NMC Code", "SSSC continuous professional learning")):
            stack = json.loads(await _send(port, token, "GET", f"/v1/frameworks/{framework['id']}"))["items"]
            while stack:
                node = stack.pop()
                found[node["code"]] = node["id"]
                stack.extend(node["children"])
    return found


async def seed(port: int, token: str, entries: int) -> None:
    """Three registrations and ``entries`` entries with links and peer discussions, via the API."""
    today = date.today()
    for register, part, start, years in (
        ("nmc", "nurse", 900, 3),
        ("hcpc", "paramedic", 500, 2),
        ("sssc", "elc", 1500, 5),
    ):
        cycle_start = today - timedelta(days=start)
        body = {
            "register": register,
            "registration_number": "BENCH",
            "part": part,
            "cycle_start": cycle_start.isoformat(),
            "renewal_date": cycle_start.replace(year=cycle_start.year + years).isoformat(),
        }
        await _send(port, token, "PUT", f"/v1/me/registrations/{uuid.uuid4()}", body)
    bodies = [_entry(number, today) for number in range(entries)]
    for start in range(0, entries, 100):
        await _send(port, token, "POST", "/v1/evidence/batch", {"entries": bodies[start : start + 100]})
    codes = await _codes(port, token)
    sssc = [code for code in codes if code.startswith("CLE.")]
    nmc = [code for code in codes if code.startswith("NMC.")]
    writes = []
    for number, body in enumerate(bodies):
        if body["kind"] == "reflective_account" or number % 17 == 0:
            items = [codes[nmc[number % len(nmc)]], codes[sssc[number % len(sssc)]]]
            writes.append(
                ("PUT", f"/v1/evidence/{body['id']}/competences", {"links": [{"item_id": item} for item in items]})
            )
        if body["kind"] == "reflective_discussion":
            writes.append(("PUT", f"/v1/evidence/{body['id']}/peer-discussion", {"name": "Peer", "pin": "98Y1234E"}))
    for start in range(0, len(writes), 8):
        await asyncio.gather(*(_send(port, token, *write) for write in writes[start : start + 8]))


@dataclass
class Sampler:
    """Times requests on one keep-alive connection, with the server process's CPU time for each
    (user + system, which other work on the machine does not inflate as it does wall time)."""

    connection: Connection
    server: psutil.Process

    async def send(self, request: Request) -> tuple[float, float, bytes]:
        cpu_before = sum(self.server.cpu_times()[:2])
        started = time.perf_counter()
        status, answer = await self.connection.send(request)
        elapsed = (time.perf_counter() - started) * 1000
        if status >= 300:
            raise RuntimeError(f"{request.method} {request.path} answered {status}: {answer[:300]!r}")
        return elapsed, (sum(self.server.cpu_times()[:2]) - cpu_before) * 1000, answer


async def measure(server: Server, token: str, args, cached: bool) -> tuple[dict[str, list[tuple[float, float]]], bytes]:
    """Each turn, on one keep-alive connection: the baseline, progress, then (cache on) a new
    entry and progress again. Returns (latency ms, server CPU ms) per label."""
    headers = {"Authorization": f"Bearer {token}"}
    progress, baseline = Request("GET", "/v1/me/progress", headers), Request("GET", "/v1/me/registrations", headers)
    sampler = Sampler(await Connection.open(HOST, server.port), psutil.Process(server.process.pid))
    series: dict[str, list[tuple[float, float]]] = {}
    try:
        for turn in range(args.warmup + args.samples):
            measured = {BASELINE: (await sampler.send(baseline))[:2]}
            *timing, body = await sampler.send(progress)
            measured[UNCHANGED if cached else UNCACHED] = tuple(timing)
            if cached:
                entry = _entry(100_000 + turn, date.today())
                await sampler.send(json_request("PUT", f"/v1/evidence/{entry.pop('id')}", entry, headers))
                measured[AFTER_WRITE] = (await sampler.send(progress))[:2]
            for label, timing in measured.items():
                if turn >= args.warmup:
                    series.setdefault(label, []).append(timing)
    finally:
        sampler.connection.close()
    return series, body


async def run_target(stack: AsyncExitStack, name: str, settings: dict[str, str], workdir: Path, args) -> Measured:
    """Seed through a server with the entry cache, measure it, then a second server on the
    same database with the cache off."""
    port = free_port()
    log = workdir / f"{name}.log"
    server = stack.enter_context(running(name, cpl_serve_command(port), cpl_environment(**settings), log))
    await wait_healthy(server)
    token = await register_worker(port, 0)
    print(f"{name}: seeding {args.entries} entries ...", file=sys.stderr, flush=True)
    await seed(port, token, args.entries)
    print(f"{name}: measuring ...", file=sys.stderr, flush=True)
    series, body = await measure(server, token, args, cached=True)
    port = free_port()
    environment = cpl_environment(**settings, progress_cache_workers="0")
    uncached = stack.enter_context(
        running(name, cpl_serve_command(port), environment, workdir / f"{name}-uncached.log")
    )
    await wait_healthy(uncached)
    print(f"{name}: measuring with the entry cache off ...", file=sys.stderr, flush=True)
    series[UNCACHED] = (await measure(uncached, token, args, cached=False))[0][UNCACHED]
    rules = sum(len(item["rules"]) for item in json.loads(body)["registrations"])
    latencies = {label: sorted(wall for wall, _ in timings) for label, timings in series.items()}
    cpu = {label: sum(used for _, used in timings) / len(timings) for label, timings in series.items()}
    return Measured(name, latencies, cpu, len(body), rules)


def section(args, results: list[Measured], machine: str) -> str:
    command = ".venv/bin/python -m bench.requirements " + shlex.join(sys.argv[1:])
    rows = [
        "| database | request | p50 ms | p99 ms | max ms | p50 vs baseline | server CPU ms/request |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    verdicts = []
    for result in results:
        base = percentile(result.series[BASELINE], 50)
        for label in (BASELINE, UNCHANGED, AFTER_WRITE, UNCACHED):
            samples = result.series[label]
            p50, p99 = percentile(samples, 50), percentile(samples, 99)
            rows.append(
                f"| {result.name} | {label} | {p50:.1f} | {p99:.1f} | {samples[-1]:.1f} | {p50 / base:.1f}× "
                f"| {result.cpu_ms[label]:.1f} |"
            )
            if label != BASELINE:
                verdict = "**met**" if p99 < TARGET_P99_MS else "**MISSED**"
                verdicts.append(f"- {result.name}, {label}: p99 {p99:.1f} ms < {TARGET_P99_MS:.0f} ms — {verdict}")
    first = results[0]
    return "\n".join(
        [
            f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `{command.strip()}`.",
            "",
            f"Machine: {machine}.",
            "",
            f"One worker with {args.entries} entries over three years on three registrations (NMC nurse, HCPC "
            f"paramedic, SSSC early learning and childcare: {first.rules} rules); each progress answer is "
            f"{first.progress_bytes / 1024:,.0f} KiB of JSON. {args.samples} turns after {args.warmup} of warm-up "
            "on one keep-alive connection. With the entry cache on (the default), each turn is the baseline, progress, "
            "a new entry (`PUT`, one more entry per turn), progress again; then a second server on the same database "
            "with `CPL_PROGRESS_CACHE_WORKERS=0` answers the baseline and progress each turn. Server CPU is the "
            "`cpl serve` process's user + system time across each request (PostgreSQL's own work is not in it); "
            "unlike wall time, it hardly grows when other work shares the machine.",
            "",
            *rows,
            "",
            "### Target (issue 5)",
            "",
            *verdicts,
        ]
    )


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.requirements", description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--samples", type=int, default=300, help="measured requests of each kind")
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="database to create the scratch one from")
    parser.add_argument("--record", action="store_true", help="write the results into bench/RESULTS.md")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="cpl-bench-requirements-") as workdir:
        async with AsyncExitStack() as stack:
            postgres_url = await stack.enter_async_context(scratch_postgres(args.postgres))
            results = [
                await run_target(stack, "SQLite", {"data_dir": str(Path(workdir) / "sqlite")}, Path(workdir), args),
                await run_target(stack, "PostgreSQL", {"database_url": postgres_url}, Path(workdir), args),
            ]
    machine = machine_description(
        await server_versions(args.postgres), "python asyncio, one connection", (load_before, os.getloadavg()[0])
    )
    text = section(args, results, machine)
    publish(text, args.record, "bench.requirements", HEADING)
    return 0


if __name__ == "__main__":
    raise SystemExit(uvloop.run(main()))
