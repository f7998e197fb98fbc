"""What the scale bench times: the measured people's requests, and batch ingest.

Every latency is one request's round trip on a keep-alive connection to one node (a sync
catch-up: every page of it). The kinds of request are interleaved turn by turn, so a burst of load
from the machine's other work lands on all of them alike.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

import httpx
import psutil

#: Entries a batch carries (the API's maximum, what a phone's outbox sends).
BATCH = 100


@dataclass(frozen=True)
class People:
    """The measured people's bearer tokens (``bench.scale_seed``'s measured accounts)."""

    putter: str  # writes new entries, one PUT each
    typical: str  # 100 entries and a registration: progress
    heavy: str  # 10,000 entries: sync catch-up, lists
    supervisor: str  # 20 sharing supervisees: the team view
    ingest: tuple[str, ...]  # one per concurrent ingest stream (one worker's writes are serialised)


class CpuMeter:
    """CPU time (user and system) used so far by groups of processes, and by PostgreSQL's backends
    serving ``database`` (those alive when the meter is made): what work cost, whatever else the
    machine was doing meanwhile. Read per request and summed over many, the tick-sized steps of
    the kernel's accounting average out."""

    def __init__(self, pids: dict[str, list[int]], database: str) -> None:
        self.groups = {name: [psutil.Process(pid) for pid in group] for name, group in pids.items()}
        self.groups["postgres"] = [
            process
            for process in psutil.process_iter(["name", "cmdline"])
            if process.info["name"] == "postgres" and f" {database} " in " ".join(process.info["cmdline"] or [])
        ]

    def read(self) -> dict[str, float]:
        found = dict.fromkeys(self.groups, 0.0)
        for name, processes in self.groups.items():
            for process in processes:
                with contextlib.suppress(psutil.Error):
                    times = process.cpu_times()
                    found[name] += times.user + times.system
        return found


def entry(number: int, today: date) -> dict:
    """A new learning-activity entry, as a phone sends it."""
    return {
        "kind": "learning_activity",
        "title": f"Moving and handling refresher {number}",
        "occurred_on": (today - timedelta(days=number % 300)).isoformat(),
        "duration_minutes": 90,
        "participatory": True,
        "activity_type": "course",
        "description": "Half-day course on safe moving and handling.",
        "reflection": {"what_i_learned": "Two-person transfers need a plan agreed beforehand."},
        "tags": ["moving-and-handling"],
    }


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _timed(http: httpx.AsyncClient, method: str, path: str, token: str, body: object = None) -> float:
    started = time.perf_counter()
    answer = await http.request(method, path, headers=_auth(token), json=body)
    elapsed = (time.perf_counter() - started) * 1000
    if not answer.is_success:
        raise RuntimeError(f"{method} {path} answered {answer.status_code}: {answer.text[:300]}")
    return elapsed


async def _sync_catch_up(http: httpx.AsyncClient, token: str) -> tuple[float, int]:
    """Every page of ``GET /v1/sync`` from zero (200 a page): milliseconds, changes."""
    started, cursor, changes = time.perf_counter(), None, 0
    while True:
        params = {"limit": 200, **({"since": cursor} if cursor else {})}
        answer = await http.get("/v1/sync", params=params, headers=_auth(token))
        if answer.status_code != 200:
            raise RuntimeError(f"GET /v1/sync answered {answer.status_code}: {answer.text[:300]}")
        page = answer.json()
        changes += len(page["changes"])
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return (time.perf_counter() - started) * 1000, changes


def requests(people: People, today: date) -> dict[str, object]:
    """Each measured request: a name and a function of the turn number making one sample (ms)."""
    year_ago = (today - timedelta(days=365)).isoformat()
    filters = f"/v1/evidence?activity_type=course&occurred_from={year_ago}&limit=50"

    def put(http: httpx.AsyncClient, turn: int):
        return _timed(http, "PUT", f"/v1/evidence/{uuid.uuid4()}", people.putter, entry(turn, today))

    return {
        "`GET /v1/me` (control)": lambda http, turn: _timed(http, "GET", "/v1/me", people.typical),
        "`PUT /v1/evidence/{id}` (new entry)": put,
        "list with filters (type, a year; 10,000 entries)": lambda http, turn: _timed(
            http, "GET", filters, people.heavy
        ),
        "list, free text `q` (10,000 entries)": lambda http, turn: _timed(
            http, "GET", "/v1/evidence?q=reading&limit=50", people.heavy
        ),
        "`GET /v1/me/progress` (100 entries, 1 registration)": lambda http, turn: _timed(
            http, "GET", "/v1/me/progress", people.typical
        ),
        "`GET /v1/team` (20 supervisees, lines kept)": lambda http, turn: _timed(
            http, "GET", "/v1/team", people.supervisor
        ),
        "`GET /v1/team?as_of=` (20 supervisees, lines computed)": lambda http, turn: _timed(
            http, "GET", f"/v1/team?as_of={(today - timedelta(days=1 + turn)).isoformat()}", people.supervisor
        ),
    }


async def latencies(
    url: str, people: People, today: date, turns: int, warmup: int, meter: CpuMeter
) -> tuple[dict[str, list[float]], dict[str, float]]:
    """``turns`` samples of each request after ``warmup`` turns, interleaved, on one connection; and
    the mean CPU milliseconds each cost the node and PostgreSQL together."""
    found: dict[str, list[float]] = {}
    cpu: dict[str, float] = {}
    async with httpx.AsyncClient(base_url=url, timeout=120) as http:
        made = requests(people, today)
        for turn in range(warmup + turns):
            for name, sample in made.items():
                before = sum(meter.read().values())
                elapsed = await sample(http, turn)
                if turn >= warmup:
                    found.setdefault(name, []).append(elapsed)
                    cpu[name] = cpu.get(name, 0.0) + (sum(meter.read().values()) - before) * 1000 / turns
    return found, cpu


async def catch_ups(url: str, people: People, runs: int, meter: CpuMeter) -> tuple[list[float], int, float]:
    """Sync catch-ups of the heavy worker's whole record (after one not counted): milliseconds each,
    changes, and the mean CPU milliseconds one cost the node and PostgreSQL."""
    async with httpx.AsyncClient(base_url=url, timeout=120) as http:
        await _sync_catch_up(http, people.heavy)
        before = sum(meter.read().values())
        found = [await _sync_catch_up(http, people.heavy) for _ in range(runs)]
        cpu = (sum(meter.read().values()) - before) * 1000 / runs
    return [elapsed for elapsed, _ in found], found[0][1], cpu


async def ingest(urls: list[str], tokens: tuple[str, ...], seconds: float, today: date) -> tuple[int, float, int]:
    """Batches of 100 new entries, one stream per token, streams spread over ``urls`` in turn, for
    ``seconds``: entries acknowledged, the seconds taken, and how many requests failed."""
    numbers = itertools.count()
    acknowledged, failed = 0, 0
    ends = time.perf_counter() + seconds

    async def stream(url: str, token: str) -> None:
        nonlocal acknowledged, failed
        async with httpx.AsyncClient(base_url=url, timeout=120, headers=_auth(token)) as http:
            while time.perf_counter() < ends:
                batch = [{"id": str(uuid.uuid4()), **entry(next(numbers), today)} for _ in range(BATCH)]
                answer = await http.post(
                    "/v1/evidence/batch",
                    content=json.dumps({"entries": batch}),
                    headers={"Content-Type": "application/json"},
                )
                if answer.status_code == 200:
                    acknowledged += BATCH
                else:
                    failed += 1

    started = time.perf_counter()
    await asyncio.gather(*(stream(url, token) for url, token in zip(itertools.cycle(urls), tokens, strict=False)))
    return acknowledged, time.perf_counter() - started, failed


async def small_requests(urls: dict[str, str], token: str, turns: int) -> dict[str, list[float]]:
    """``GET /v1/me`` through each URL in turn (interleaved): the proxy's own cost per request."""
    found: dict[str, list[float]] = {name: [] for name in urls}
    clients = {name: httpx.AsyncClient(base_url=url, timeout=60) for name, url in urls.items()}
    try:
        for turn in range(turns + 20):
            for name, http in clients.items():
                elapsed = await _timed(http, "GET", "/v1/me", token)
                if turn >= 20:
                    found[name].append(elapsed)
    finally:
        for http in clients.values():
            await http.aclose()
    return found
