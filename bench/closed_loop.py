"""Maximum throughput: a fixed number of connections, each sending its next request as
soon as the previous answer arrives (closed loop).

wrk does it when installed (``apt-get install wrk``): it costs the least CPU, which
matters when the generator shares two cores with the server. Without wrk, a Python
asyncio generator takes its place and the results say so.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, replace
from pathlib import Path

from bench.client import Connection
from bench.servers import HOST, Server
from bench.stats import percentile
from bench.workload import PutWorkload

WRK_SCRIPT = Path(__file__).with_name("put_evidence.lua")
#: One wrk thread drives 32 connections easily and leaves the most CPU to the server.
WRK_THREADS = 1


@dataclass(frozen=True)
class ThroughputRun:
    requests: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    #: Answers with status >= 400 (wrk's count) or any status outside 2xx (Python generator).
    status_errors: int
    socket_errors: int
    #: CPU time the server process used per answered request, in milliseconds: unlike
    #: throughput, it hardly moves when other work competes for the cores.
    server_cpu_ms_per_request: float = math.nan


def generator_name() -> str:
    """What drives the closed-loop test, with wrk's version (its ``-v`` banner: "wrk <version> [epoll] …")."""
    if not shutil.which("wrk"):
        return "python asyncio (wrk not installed)"
    banner = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()
    return f"wrk {banner[1]}, {WRK_THREADS} thread" if len(banner) > 1 else "wrk"


async def measure(server: Server, workload: PutWorkload, connections: int, seconds: int) -> ThroughputRun:
    """Drive the server flat out for ``seconds`` and report what it sustained, and at what CPU cost."""
    cpu_before = server.cpu_seconds()
    if shutil.which("wrk"):
        run = await _wrk(server.port, workload, connections, seconds)
    else:
        run = await _python_closed_loop(server.port, workload, connections, seconds)
    cpu_ms = (server.cpu_seconds() - cpu_before) * 1000
    return replace(run, server_cpu_ms_per_request=cpu_ms / run.requests if run.requests else math.nan)


async def _wrk(port: int, workload: PutWorkload, connections: int, seconds: int) -> ThroughputRun:
    command = ["wrk", f"-t{WRK_THREADS}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s"]
    command += ["-s", str(WRK_SCRIPT), f"http://{HOST}:{port}"]
    process = await asyncio.create_subprocess_exec(
        *command,
        env={**os.environ, **workload.wrk_environment()},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    summary_lines = [line for line in out.decode().splitlines() if line.startswith("{")]
    if process.returncode != 0 or not summary_lines:
        raise RuntimeError(f"wrk failed ({process.returncode}):\n{out.decode()}\n{err.decode()}")
    summary = json.loads(summary_lines[-1])
    return ThroughputRun(
        requests=summary["requests"],
        requests_per_second=summary["requests"] / (summary["duration_us"] / 1e6),
        p50_ms=summary["p50_us"] / 1000,
        p99_ms=summary["p99_us"] / 1000,
        status_errors=summary["status_errors"],
        socket_errors=summary["socket_errors"],
    )


async def _python_closed_loop(port: int, workload: PutWorkload, connections: int, seconds: float) -> ThroughputRun:
    latencies: list[float] = []
    failures = {"status": 0, "socket": 0}
    deadline = time.perf_counter() + seconds

    async def one_connection() -> None:
        connection = await Connection.open(HOST, port)
        try:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                status, _ = await connection.send(workload.next_request())
                latencies.append(time.perf_counter() - started)
                failures["status"] += not 200 <= status < 300
        except (OSError, asyncio.IncompleteReadError):
            failures["socket"] += 1
        finally:
            connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(one_connection() for _ in range(connections)))
    latencies.sort()
    return ThroughputRun(
        requests=len(latencies),
        requests_per_second=len(latencies) / (time.perf_counter() - started),
        p50_ms=percentile(latencies, 50) * 1000,
        p99_ms=percentile(latencies, 99) * 1000,
        status_errors=failures["status"],
        socket_errors=failures["socket"],
    )
