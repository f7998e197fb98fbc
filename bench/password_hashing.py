"""Memory of a real ``cpl serve`` while 40 sign-ups, then 40 sign-ins, arrive at once (issue 14, item 4).

Each argon2id hash takes 64 MiB (the default ``argon2_memory_cost_kib``) while it runs. The
bound (``argon2_max_concurrent``, default one per core) is compared in the same run with the
previous behaviour: ``CPL_ARGON2_MAX_CONCURRENT=40``, as many hashes at once as anyio's worker
threads (40), which is what the service did before. Each round starts a fresh server per
setting, in turns; the sign-in and sign-up throttles are opened wide, and the queue's patience
(``argon2_queue_timeout``) raised to 120 s, so every request is hashed in both and the memory
compared is that of the same work.

    .venv/bin/python -m bench.password_hashing --rounds 3 [--record]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.attachments import PeakRss
from bench.report import machine_description, publish
from bench.servers import HOST, cpl_environment, cpl_serve_command, free_port, running, wait_healthy
from bench.stats import median

AT_ONCE = 40
MB = 1024 * 1024
PASSWORD = "bench password, long enough"
WIDE_OPEN = {
    "signup_attempts_per_address": "100000",
    "login_failures_per_address": "100000",
    "login_failures_per_account": "100000",
    "argon2_queue_timeout": "PT120S",
}
SETTINGS = {"unbounded (40 at once, as before)": "40", "bounded (default: one per core)": "0"}


@dataclass
class Burst:
    peak_mb: float
    seconds: float
    statuses: Counter


@dataclass
class Round:
    start_mb: float
    sign_ups: Burst
    sign_ins: Burst


async def _burst(pid: int, requests) -> Burst:
    with PeakRss(pid) as rss:
        started = time.perf_counter()
        responses = await asyncio.gather(*requests, return_exceptions=True)
        seconds = time.perf_counter() - started
    answers = Counter(
        type(response).__name__ if isinstance(response, Exception) else response.status_code for response in responses
    )
    return Burst(rss.peak / MB, seconds, answers)


async def one_round(max_concurrent: str, folder: Path) -> Round:
    port = free_port()
    environment = cpl_environment(data_dir=str(folder), argon2_max_concurrent=max_concurrent, **WIDE_OPEN)
    with running("cpl", cpl_serve_command(port), environment, folder / "server.log") as server:
        await wait_healthy(server)
        emails = [f"bench{number}@example.org" for number in range(AT_ONCE)]
        limits = httpx.Limits(max_connections=AT_ONCE)
        async with httpx.AsyncClient(base_url=f"http://{HOST}:{port}", timeout=120, limits=limits) as client:
            await asyncio.sleep(1)
            start = PeakRss(server.process.pid).before / MB
            body = {"password": PASSWORD, "display_name": "Bench"}
            sign_ups = await _burst(
                server.process.pid,
                [client.post("/v1/auth/register", json={**body, "email": email}) for email in emails],
            )
            sign_ins = await _burst(
                server.process.pid,
                [client.post("/v1/auth/login", json={"email": email, "password": PASSWORD}) for email in emails],
            )
    return Round(start, sign_ups, sign_ins)


def _statuses(rounds: list[Round], phase: str) -> str:
    total = sum((getattr(item, phase).statuses for item in rounds), Counter())
    return ", ".join(f"{count}× {status}" for status, count in sorted(total.items(), key=str))


def report(results: dict[str, list[Round]], command: str, load: tuple[float, float]) -> str:
    lines = [
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with `{command}`.",
        "",
        f"Machine: {machine_description('SQLite (the default data dir)', 'httpx, 40 requests at once', load)}.",
        "",
        "Resident memory of the `cpl serve` process (sampled every 5 ms), median of the rounds; "
        "argon2id with the default cost (t=3, 64 MiB, p=1).",
        "",
        "| hashes at once | idle MB | peak MB, 40 sign-ups | peak MB, then 40 sign-ins | "
        "s, sign-ups | s, sign-ins | answers (all rounds) |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for name, rounds in results.items():
        lines.append(
            f"| {name} | {median([r.start_mb for r in rounds]):.0f} "
            f"| {median([r.sign_ups.peak_mb for r in rounds]):.0f} "
            f"| {median([r.sign_ins.peak_mb for r in rounds]):.0f} "
            f"| {median([r.sign_ups.seconds for r in rounds]):.1f} "
            f"| {median([r.sign_ins.seconds for r in rounds]):.1f} "
            f"| sign-ups {_statuses(rounds, 'sign_ups')}; sign-ins {_statuses(rounds, 'sign_ins')} |"
        )
    before, after = (results[name] for name in SETTINGS)
    ratio = median([r.sign_ups.peak_mb for r in after]) / median([r.sign_ups.peak_mb for r in before])
    lines += ["", f"Peak during the sign-ups, bounded over unbounded: {ratio:.2f}."]
    return "\n".join(lines)


async def run(rounds: int) -> dict[str, list[Round]]:
    results: dict[str, list[Round]] = {name: [] for name in SETTINGS}
    for _ in range(rounds):
        for name, max_concurrent in SETTINGS.items():
            with tempfile.TemporaryDirectory(prefix="cpl-bench-argon2-") as folder:
                results[name].append(await one_round(max_concurrent, Path(folder)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--record", action="store_true", help="write the results into bench/RESULTS.md")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    results = asyncio.run(run(args.rounds))
    command = f".venv/bin/python -m bench.password_hashing --rounds {args.rounds}" + (
        " --record" if args.record else ""
    )
    section = report(results, command, (load_before, os.getloadavg()[0]))
    publish(
        section,
        args.record,
        bench="bench.password_hashing",
        heading="## Password hashing memory: 40 sign-ups and sign-ins at once (issue 14, item 4)",
    )


if __name__ == "__main__":
    main()
