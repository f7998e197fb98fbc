"""xAPI ingest bench (issue 19, item 6): statements per second posted in batches, SQLite or PostgreSQL.

    .venv/bin/python -m bench.xapi --database sqlite|postgres [--batches 30] [--batch-size 100] [--record]

1. A fresh database (SQLite in a temporary folder; PostgreSQL: the bench's own database
   ``cpl_bench_xapi`` on 127.0.0.1, dropped and made again), migrated; an employer, its admin,
   20 workers who agreed to its suggestions, and LRS credentials, made through the services.
2. The app in this process, called through httpx's ASGI transport (no sockets: the figures are
   the service's own cost, the same for the baseline), one request at a time.
3. Baseline, in the same run: the same number of evidence entries saved through
   ``POST /v1/evidence/batch`` in batches of the same size (cpl's bulk write path), spread over
   the same workers.
4. ``POST /xapi/statements`` with ``--batches`` batches of ``--batch-size`` new completed
   statements (each a suggestion), then the same batches again (every statement a replay).

Target: ≥ 1,000 statements/s.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import statistics
import subprocess
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import httpx

from bench.report import machine_description, publish
from cpl.accounts.service import create_account, start_session
from cpl.app import create_app
from cpl.migrate import migrate_database
from cpl.organisations.schemas import OrganisationIn
from cpl.organisations.service import create_organisation
from cpl.organisations.tables import Membership
from cpl.settings import Settings
from cpl.xapi import consents, credentials

POSTGRES = "postgres://postgres@127.0.0.1:5432/cpl_bench_xapi"
WORKERS = 20
#: Password hashing made cheap: the bench's accounts are made, not signed in to.
FAST_HASHING = {"argon2_time_cost": 1, "argon2_memory_cost_kib": 64, "argon2_parallelism": 1}
TARGET = 1_000


def _fresh_postgres() -> None:
    for command in (["dropdb", "--if-exists"], ["createdb"]):
        subprocess.run([*command, "-h", "127.0.0.1", "-U", "postgres", "cpl_bench_xapi"], check=True)


async def _world(settings: Settings) -> tuple[dict[str, str], list[tuple[str, dict[str, str]]]]:
    """The learning system's headers, and each worker's e-mail and bearer header."""
    admin = await create_account(settings, email="admin@example.org", password="bench password 1", display_name="A")
    organisation = await create_organisation(admin["id"], OrganisationIn(name="Riverside Care", kind="employer"))
    workers = []
    for number in range(WORKERS):
        email = f"worker{number}@example.org"
        worker = await create_account(settings, email=email, password="bench password 1", display_name=f"W{number}")
        await Membership.insert(
            Membership(id=uuid.uuid4(), organisation=organisation.id, account=worker["id"], role="worker")
        )
        await consents.give(worker["id"], organisation.id)
        token, _ = await start_session(settings, worker["id"], device_name="bench", client_address="127.0.0.1")
        workers.append((email, {"Authorization": f"Bearer {token}"}))
    made = await credentials.create(admin["id"], organisation.id, "bench")
    basic = base64.b64encode(f"{made['key']}:{made['secret']}".encode()).decode()
    return {"Authorization": f"Basic {basic}", "X-Experience-API-Version": "1.0.3"}, workers


def _statement(email: str, number: int) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "mbox": f"mailto:{email}"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}},
        "object": {
            "id": f"https://lms.example.org/courses/{number}",
            "definition": {"name": {"en-GB": f"Course {number}"}, "type": "http://adlnet.gov/expapi/activities/course"},
        },
        "result": {"completion": True, "duration": "PT1H30M"},
        "timestamp": "2025-03-04T10:15:00Z",
    }


def _entry(number: int) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "kind": "learning_activity",
        "title": f"Course {number}",
        "occurred_on": (date.today() - timedelta(days=3)).isoformat(),
        "duration_minutes": 90,
        "activity_type": "course",
    }


async def _timed(send, batches: list) -> list[float]:
    seconds = []
    for batch in batches:
        started = time.perf_counter()
        answer = await send(batch)
        seconds.append(time.perf_counter() - started)
        assert answer.status_code == 200, answer.text
    return seconds


async def run(database: str, batches: int, size: int) -> str:
    load_before = os.getloadavg()[0]
    folder = Path(tempfile.mkdtemp(prefix="cpl-bench-xapi-"))
    if database == "postgres":
        _fresh_postgres()
    settings = Settings(data_dir=folder, database_url=POSTGRES if database == "postgres" else "", **FAST_HASHING)
    await migrate_database(settings)
    app = create_app(settings)
    async with app.lifespan():
        lrs, workers = await _world(settings)
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench", timeout=120)
        numbers = [range(b * size, (b + 1) * size) for b in range(batches)]
        statements = [[_statement(workers[n % WORKERS][0], n) for n in chunk] for chunk in numbers]
        # Baseline: each batch is one worker's (a batch is one owner's), the workers in turn.
        entries = [(workers[b % WORKERS][1], [_entry(n) for n in chunk]) for b, chunk in enumerate(numbers)]
        baseline = await _timed(
            lambda item: client.post("/v1/evidence/batch", json={"entries": item[1]}, headers=item[0]), entries
        )
        fresh = await _timed(lambda batch: client.post("/xapi/statements", json=batch, headers=lrs), statements)
        replay = await _timed(lambda batch: client.post("/xapi/statements", json=batch, headers=lrs), statements)
        await client.aclose()
    versions = "PostgreSQL 15 (127.0.0.1)" if database == "postgres" else "SQLite (WAL)"
    return _section(database, batches, size, baseline, fresh, replay, (load_before, os.getloadavg()[0]), versions)


def _section(database, batches, size, baseline, fresh, replay, loads, versions) -> str:
    total = batches * size

    def rate(seconds: list[float]) -> float:
        return total / sum(seconds)

    def row(name: str, seconds: list[float]) -> str:
        median_ms = statistics.median(seconds) * 1000
        return f"| {name} | {rate(seconds):,.0f} | {median_ms:.1f} | {max(seconds) * 1000:.1f} |"

    met = "**met**" if rate(fresh) >= TARGET else "**MISSED**"
    return "\n".join(
        [
            f"Run {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC with "
            f"`.venv/bin/python -m bench.xapi --database {database} --batches {batches} --batch-size {size} --record`.",
            "",
            "Machine: "
            + machine_description(versions, "httpx ASGI transport, in process, one request at a time", loads)
            + ".",
            "",
            f"{batches} batches of {size} ({total:,} items) for each line; {WORKERS} consenting workers.",
            "",
            "| what | items/s | median ms per batch | max ms per batch |",
            "|---|---:|---:|---:|",
            row("baseline: `POST /v1/evidence/batch` (entries)", baseline),
            row("`POST /xapi/statements`, new statements (each a suggestion)", fresh),
            row("`POST /xapi/statements`, the same batches replayed", replay),
            "",
            f"- new statements vs the baseline: {rate(fresh) / rate(baseline):.2f}×; replays: "
            f"{rate(replay) / rate(baseline):.2f}×",
            f"- target ≥ {TARGET:,} statements/s: {rate(fresh):,.0f} — {met}",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--batches", type=int, default=30)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    section = asyncio.run(run(args.database, args.batches, args.batch_size))
    heading = f"## xAPI ingest (issue 19, item 6), {'PostgreSQL' if args.database == 'postgres' else 'SQLite'}"
    publish(section, args.record, f"bench.xapi.{args.database}", heading)


if __name__ == "__main__":
    main()
