"""Bench: large exports run as background jobs with progress, never blocking the server, and
stream to storage with flat memory (issue 7, item 5), over HTTP against ``cpl serve``.

Run from the repository root::

    .venv/bin/python -m bench.exports            # print the results
    .venv/bin/python -m bench.exports --record   # and write them into bench/RESULTS.md

``cpl serve`` on embedded defaults (SQLite, local storage, one export worker, in a temporary
folder). Workers are seeded through the API, one entry per attachment of random bytes behind a
WAV header (accepted, stored byte for byte): 1 MB for warm-up, then ``--small`` and ``--large``
MB in 25 MB files (the default ``attachment_max_bytes``). After a warm-up export and idle probes,
both bundles are exported in turn ``--runs`` times (``POST /v1/exports``, poll until ``done``)
while one connection probes ``GET /health`` and ``GET /v1/me`` and the server's RSS is sampled;
each bundle is then downloaded and checked with :func:`cpl.exports.offline.verify_file`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shlex
import sqlite3
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import psutil
import uvloop
from anyio import to_thread

from bench.attachments import MB, PeakRss, write_voice_note
from bench.client import Connection, Request, call
from bench.competences import timed
from bench.report import machine_description, publish
from bench.requirements import _send
from bench.servers import HOST, cpl_environment, cpl_serve_command, free_port, running, wait_healthy
from bench.stats import median, percentile
from bench.workload import register_worker
from cpl.exports.offline import Verdict, verify_file
from tests.factories import entry_body

HEADING = "## Large exports: background jobs, responsiveness and flat memory (issue 7, item 5)"
#: Each attachment's size: the default ``attachment_max_bytes`` (25 MiB).
FILE_MB = 25
PROBE_PAUSE_SECONDS = 0.02
POLL_SECONDS = 0.1


@dataclass(frozen=True)
class ExportRun:
    attachment_mb: int
    bundle_bytes: int
    seconds: float
    server_seconds: float
    peak_over_baseline_mb: float
    growth_mb: float
    retained_mb: float
    progress_steps: int
    download_seconds: float
    download_peak_over_baseline_mb: float
    verdict: Verdict
    probes: dict[str, list[float]]


async def seed_worker(port: int, number: int, sizes_mb: list[int], folder: Path) -> str:
    """A worker with one entry per attachment, each file uploaded as a raw body; returns their token."""
    token = await register_worker(port, number)
    path = folder / "note.wav"
    for index, size in enumerate(sizes_mb):
        entry_id = uuid.uuid4()
        await _send(port, token, "PUT", f"/v1/evidence/{entry_id}", entry_body())
        await to_thread.run_sync(write_voice_note, path, size)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "audio/wav"}
        upload = Request(
            "POST", f"/v1/evidence/{entry_id}/attachments?filename=note-{index}.wav", headers, path.read_bytes()
        )
        status, answer = await call(HOST, port, upload)
        if status != 201:
            raise RuntimeError(f"upload answered {status}: {answer[:300]!r}")
    return token


async def probe(port: int, token: str, stop: asyncio.Event) -> dict[str, list[float]]:
    """Latencies (ms, sorted) of ``GET /health`` and ``GET /v1/me`` sent in turn on one connection until ``stop``."""
    requests = {
        "`GET /health`": Request("GET", "/health", {}),
        "`GET /v1/me`": Request("GET", "/v1/me", {"Authorization": f"Bearer {token}"}),
    }
    series: dict[str, list[float]] = {label: [] for label in requests}
    connection = await Connection.open(HOST, port)
    try:
        while not stop.is_set():
            for label, request in requests.items():
                series[label].append(await timed(connection, request))
            await asyncio.sleep(PROBE_PAUSE_SECONDS)
    finally:
        connection.close()
    return {label: sorted(values) for label, values in series.items()}


async def run_job(port: int, token: str) -> tuple[dict, float, int]:
    """Queue a bundle export and poll it until it ends: (final status, seconds, distinct progress values seen)."""
    started = time.perf_counter()
    export = json.loads(await _send(port, token, "POST", "/v1/exports", {"format": "bundle"}))
    seen = set()
    while export["status"] in ("queued", "running"):
        await asyncio.sleep(POLL_SECONDS)
        export = json.loads(await _send(port, token, "GET", f"/v1/exports/{export['id']}"))
        if export["status"] == "running":
            seen.add(export["progress"]["done"])
    if export["status"] != "done":
        raise RuntimeError(f"export {export['id']} ended {export['status']}: {export['error']}")
    return export, time.perf_counter() - started, len(seen)


async def download(port: int, token: str, export: dict, out: Path) -> float:
    """Stream the export's file to ``out``; returns the seconds it took."""
    started = time.perf_counter()
    async with httpx.AsyncClient(
        base_url=f"http://{HOST}:{port}", headers={"Authorization": f"Bearer {token}"}, timeout=600
    ) as client:
        async with client.stream("GET", export["download_url"]) as response:
            response.raise_for_status()
            with out.open("wb") as handle:
                async for chunk in response.aiter_bytes(MB):
                    handle.write(chunk)
    return time.perf_counter() - started


async def export_bundle(port: int, token: str, pid: int, baseline: int, megabytes: int, context: dict) -> ExportRun:
    """One bundle export, measured: RSS while the job runs and while it downloads, probes, offline check."""
    stop = asyncio.Event()
    prober = asyncio.create_task(probe(port, token, stop))
    with PeakRss(pid) as job_rss:
        export, seconds, steps = await run_job(port, token)
    stop.set()
    retained = psutil.Process(pid).memory_info().rss - baseline
    out = context["folder"] / f"{export['id']}.zip"
    with PeakRss(pid) as download_rss:
        download_seconds = await download(port, token, export, out)
    verdict = await to_thread.run_sync(verify_file, out, context["jwks"])
    out.unlink()
    server_seconds = (
        datetime.fromisoformat(export["finished_at"]) - datetime.fromisoformat(export["created_at"])
    ).total_seconds()
    return ExportRun(
        megabytes,
        export["size"],
        seconds,
        server_seconds,
        (job_rss.peak - baseline) / MB,
        job_rss.growth_mb,
        retained / MB,
        steps,
        download_seconds,
        (download_rss.peak - baseline) / MB,
        verdict,
        await prober,
    )


async def measure(port: int, pid: int, folder: Path, args) -> tuple[dict[str, list[float]], list[ExportRun], float]:
    """Seed, warm up, probe idle, then the small and the large export in turn, ``--runs`` times each;
    returns (idle probes, runs, baseline MB)."""
    sizes = {megabytes: [FILE_MB] * (megabytes // FILE_MB) for megabytes in (args.small, args.large)}
    print(f"seeding 1 + {args.small} + {args.large} MB of attachments ...", file=sys.stderr, flush=True)
    warm = await seed_worker(port, 0, [1], folder)
    tokens = {
        megabytes: await seed_worker(port, number, files, folder)
        for number, (megabytes, files) in enumerate(sizes.items(), 1)
    }
    context = {"folder": folder, "jwks": json.loads(await _send(port, warm, "GET", "/.well-known/jwks.json"))}
    await asyncio.sleep(2)  # promotions of the last uploads (a hard link each, after the response)
    print("warm-up export and idle probes ...", file=sys.stderr, flush=True)
    await export_bundle(port, warm, pid, 0, 1, context)
    baseline = psutil.Process(pid).memory_info().rss
    stop = asyncio.Event()
    asyncio.get_running_loop().call_later(args.idle_seconds, stop.set)
    idle = await probe(port, tokens[args.large], stop)
    runs = []
    for turn in range(args.runs):
        for megabytes, files in sizes.items():
            print(f"run {turn + 1}: exporting {megabytes} MB ...", file=sys.stderr, flush=True)
            runs.append(await export_bundle(port, tokens[megabytes], pid, baseline, len(files) * FILE_MB, context))
    return idle, runs, baseline / MB


def pooled(runs: list[ExportRun], megabytes: int) -> dict[str, list[float]]:
    """The probes of every run of one size, together (ms, sorted)."""
    mine = [run for run in runs if run.attachment_mb == megabytes]
    return {label: sorted(value for run in mine for value in run.probes[label]) for label in mine[0].probes}


def latency_rows(idle: dict[str, list[float]], runs: list[ExportRun], sizes: tuple[int, int]) -> list[str]:
    rows = [
        "| while | request | samples | p50 ms | p99 ms | max ms | p50 vs idle | p99 vs idle |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, series in [
        ("idle", idle),
        *((f"{megabytes} MB exports run", pooled(runs, megabytes)) for megabytes in sizes),
    ]:
        for request, samples in series.items():
            p50, p99 = percentile(samples, 50), percentile(samples, 99)
            base50, base99 = percentile(idle[request], 50), percentile(idle[request], 99)
            rows.append(
                f"| {label} | {request} | {len(samples)} | {p50:.1f} | {p99:.1f} | {samples[-1]:.1f} | "
                f"{p50 / base50:.1f}× | {p99 / base99:.1f}× |"
            )
    return rows


def export_rows(runs: list[ExportRun]) -> list[str]:
    rows = [
        "| # | attachments | bundle MB | POST → done s | server s (created → finished) | MB/s | progress values seen "
        "| peak RSS over baseline MB | peak RSS over RSS before this export MB | RSS after, over baseline MB "
        "| download s | peak RSS over baseline MB (download) | offline verify |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for number, run in enumerate(runs, 1):
        verified = "valid" if run.verdict.valid else f"NOT valid: {'; '.join(run.verdict.reasons)[:200]}"
        rows.append(
            f"| {number} | {run.attachment_mb} MB | {run.bundle_bytes / MB:.1f} | {run.seconds:.1f} | "
            f"{run.server_seconds:.1f} "
            f"| {run.bundle_bytes / MB / run.seconds:.1f} | {run.progress_steps} | {run.peak_over_baseline_mb:.1f} "
            f"| {run.growth_mb:.1f} | {run.retained_mb:.1f} | {run.download_seconds:.1f} "
            f"| {run.download_peak_over_baseline_mb:.1f} | {verified} |"
        )
    return rows


def verdicts(args, idle: dict[str, list[float]], runs: list[ExportRun]) -> list[str]:
    """Item 5's three claims, each with the figures behind it."""
    small = [run for run in runs if run.attachment_mb == args.small]
    large = [run for run in runs if run.attachment_mb == args.large]
    peak_small, peak_large = (
        max(run.peak_over_baseline_mb for run in small),
        max(run.peak_over_baseline_mb for run in large),
    )
    grow_small, grow_large = median([run.growth_mb for run in small]), median([run.growth_mb for run in large])
    probes = pooled(runs, args.large)
    worst = max(percentile(probes[label], 99) / percentile(idle[label], 99) for label in idle)
    return [
        f"- Flat memory: highest peak RSS over baseline {peak_small:.1f} MB ({args.small} MB) vs {peak_large:.1f} MB "
        f"({args.large} MB), ratio {peak_large / peak_small:.2f} for {args.large / args.small:.0f}× the data; median "
        f"growth during one export {grow_small:.1f} MB vs {grow_large:.1f} MB (ratio {grow_large / grow_small:.2f}).",
        f"- Never blocking: while the {args.large} MB exports ran, p99 vs idle "
        + ", ".join(
            f"{label} {percentile(probes[label], 99):.1f} ms vs {percentile(idle[label], 99):.1f} ms" for label in idle
        )
        + f" (worst ratio {worst:.1f}×); p50 "
        + ", ".join(
            f"{label} {percentile(probes[label], 50):.1f} ms vs {percentile(idle[label], 50):.1f} ms" for label in idle
        )
        + ".",
        f"- Background job with progress: `POST` answers 202 and the job runs in the server's export worker; "
        f"{', '.join(str(run.progress_steps) for run in large)} distinct progress values seen while each "
        f"{args.large} MB job ran.",
        "- Throughput (POST → done seen): median "
        f"{median([run.bundle_bytes / MB / run.seconds for run in small]):.0f} MB/s "
        f"({args.small} MB), {median([run.bundle_bytes / MB / run.seconds for run in large]):.0f} MB/s "
        f"({args.large} MB); every bundle verifies offline: {all(run.verdict.valid for run in runs)}.",
    ]


def section(args, idle: dict[str, list[float]], runs: list[ExportRun], baseline_mb: float, machine: str) -> str:
    command = ".venv/bin/python -m bench.exports " + shlex.join(sys.argv[1:])
    return "\n".join(
        [
            f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `{command.strip()}`.",
            "",
            f"Machine: {machine}. Other helpers' work (tests, other benches) shares the two cores, so wall times "
            "and latencies are noisy.",
            "",
            f"`cpl serve` on embedded defaults (SQLite, local storage, one export worker). Bundle exports of a worker "
            f"with {args.small} MB and of one with {args.large} MB of attachments ({FILE_MB} MB files of random bytes, "
            f"one per entry), in turn, {args.runs} times each. Server RSS sampled every 5 ms "
            f"(bench.attachments.PeakRss); baseline {baseline_mb:.1f} MB = RSS after start-up and a warm-up bundle "
            "export. Probes: `GET /health` and "
            f"`GET /v1/me` in turn on one keep-alive connection, {PROBE_PAUSE_SECONDS * 1000:.0f} ms apart, for "
            f"{args.idle_seconds:.0f} s idle and for the whole of each export; export status polled every "
            f"{POLL_SECONDS * 1000:.0f} ms on connections of its own. MB = MiB.",
            "",
            *export_rows(runs),
            "",
            *latency_rows(idle, runs, (args.small, args.large)),
            "",
            "### Item 5",
            "",
            *verdicts(args, idle, runs),
        ]
    )


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.exports", description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=50, help="MB of attachments of the smaller export")
    parser.add_argument("--large", type=int, default=200, help="MB of attachments of the larger export")
    parser.add_argument("--runs", type=int, default=5, help="exports of each size, in turn")
    parser.add_argument("--idle-seconds", type=float, default=15.0)
    parser.add_argument("--record", action="store_true", help="write the results into bench/RESULTS.md")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="cpl-bench-exports-") as workdir:
        folder, port = Path(workdir), free_port()
        environment = cpl_environment(data_dir=str(folder / "data"))
        with running("cpl serve", cpl_serve_command(port), environment, folder / "server.log") as server:
            await wait_healthy(server)
            idle, runs, baseline_mb = await measure(port, server.process.pid, folder, args)
    machine = machine_description(
        f"SQLite {sqlite3.sqlite_version}", "python asyncio + httpx", (load_before, os.getloadavg()[0])
    )
    text = section(args, idle, runs, baseline_mb, machine)
    publish(text, args.record, "bench.exports", HEADING)
    return 0


if __name__ == "__main__":
    raise SystemExit(uvloop.run(main()))
