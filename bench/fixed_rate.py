"""Latency at a fixed request rate (open loop).

Requests go out on a fixed schedule whether or not earlier ones have been answered, and
each latency runs from the request's *scheduled* send time, so a server that stalls is
charged for every request that queued behind the stall (no coordinated omission).
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass

from bench.client import Connection, Request
from bench.servers import HOST
from bench.stats import percentile
from bench.workload import PutWorkload


@dataclass(frozen=True)
class FixedRateRun:
    sent: int
    #: Answers outside 2xx.
    status_errors: int
    #: Requests that failed on the socket (refused, reset, closed mid-answer).
    socket_errors: int
    p50_ms: float
    p99_ms: float
    max_ms: float


#: Most connections open at once: the clients' population. A request that finds them all
#: busy waits for one, and that wait counts in its latency.
MAX_CONNECTIONS = 256
#: uvicorn closes a connection that has been idle for 5 s (its keep-alive timeout), so
#: the pool never reuses one idle for this long: it would fail through no fault of the server.
MAX_IDLE_SECONDS = 2.0


class _ConnectionPool:
    """Idle keep-alive connections, the most recently used first; a new one when none is fresh."""

    def __init__(self, port: int) -> None:
        self._port = port
        self._idle: list[tuple[Connection, float]] = []
        self._slots = asyncio.Semaphore(MAX_CONNECTIONS)

    async def _take(self) -> Connection:
        while self._idle:
            connection, idle_since = self._idle.pop()
            if time.perf_counter() - idle_since < MAX_IDLE_SECONDS:
                return connection
            connection.close()
        return await Connection.open(HOST, self._port)

    async def send(self, request: Request) -> int:
        async with self._slots:
            connection = await self._take()
            try:
                status, _ = await connection.send(request)
            except BaseException:
                connection.close()
                raise
            self._idle.append((connection, time.perf_counter()))
            return status

    def close(self) -> None:
        for connection, _ in self._idle:
            connection.close()


async def measure(port: int, workload: PutWorkload, rate: float, seconds: float) -> FixedRateRun:
    """Send ``rate`` requests a second for ``seconds`` and report the latency distribution."""
    pool = _ConnectionPool(port)
    latencies: list[float] = []
    failures: Counter[str] = Counter()

    async def send_at(scheduled: float) -> None:
        try:
            status = await pool.send(workload.next_request())
        except (OSError, asyncio.IncompleteReadError):
            failures["socket"] += 1
            return
        if 200 <= status < 300:
            latencies.append(time.perf_counter() - scheduled)
        else:
            failures["status"] += 1

    start = time.perf_counter() + 0.05
    sent = round(rate * seconds)
    tasks = []
    for number in range(sent):
        scheduled = start + number / rate
        await asyncio.sleep(max(0.0, scheduled - time.perf_counter()))
        tasks.append(asyncio.create_task(send_at(scheduled)))
    await asyncio.gather(*tasks)
    pool.close()
    latencies.sort()
    return FixedRateRun(
        sent=sent,
        status_errors=failures["status"],
        socket_errors=failures["socket"],
        p50_ms=percentile(latencies, 50) * 1000,
        p99_ms=percentile(latencies, 99) * 1000,
        max_ms=latencies[-1] * 1000 if latencies else float("nan"),
    )
