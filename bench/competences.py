"""Bench: competence frameworks over HTTP against a running ``cpl serve`` (issue 4, item 8).

Run from the repository root::

    .venv/bin/python -m bench.competences            # print the results
    .venv/bin/python -m bench.competences --record   # and write them into bench/RESULTS.md

For SQLite (a temporary data directory) and PostgreSQL (a scratch database, dropped
after) it starts ``cpl serve`` (uvloop, httptools, one worker), makes an operator with
``cpl users create --admin``, and measures, one request at a time on a keep-alive
connection from this process:

1. ``POST /v1/frameworks/import`` of a generated 15,000-item CASE package (wall time);
2. ``GET /v1/competences?q=…`` over that framework and the built-in ones;
3. ``GET /v1/me/coverage`` for a worker with 5,000 entries, each linked to items of three
   frameworks (the NMC Code directly, SSSC CPL partly through cpl's crosswalk, and the
   15,000-item framework);
4. the baseline, in the same run on the same server: ``GET /v1/me`` (a signed-in request
   answered with one query).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
import uuid
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import anyio

from bench.client import Connection, Request, call, json_request
from bench.competence_data import LINKS_PER_WORKER, entry_batches, link_plans
from bench.report import machine_description, publish
from bench.servers import (
    HOST,
    cpl_environment,
    cpl_serve_command,
    free_port,
    running,
    scratch_postgres,
    server_versions,
    wait_healthy,
)
from bench.stats import median, percentile
from bench.workload import PASSWORD, register_worker
from tests.competences.helpers import generated_package

HEADING = "## Competence frameworks: import, search, coverage against `cpl serve` (issue 4, item 8)"
SEARCHES = ["GEN.14999", "GEN.7", "technique 42", "setting 12 skill", "skill", "protection", "trust", "zebra"]
TARGETS = {"import": 10_000.0, "search": 30.0, "coverage": 100.0}


async def timed(connection: Connection, request: Request, expect: int = 200) -> float:
    started = time.perf_counter()
    status, body = await connection.send(request)
    elapsed = (time.perf_counter() - started) * 1000
    if status != expect:
        raise RuntimeError(f"{request.method} {request.path} answered {status}: {body[:300]!r}")
    return elapsed


async def sample(port: int, requests: list[Request], warm_up: int = 20) -> list[float]:
    """Latencies (ms, sorted) of the requests sent one after another on one connection."""
    connection = await Connection.open(HOST, port)
    try:
        for request in requests[:warm_up]:
            await timed(connection, request)
        return sorted([await timed(connection, request) for request in requests])
    finally:
        connection.close()


async def operator_token(port: int, environment: dict[str, str]) -> str:
    email = f"operator-{uuid.uuid4().hex[:8]}@example.org"
    command = [
        str(Path(cpl_serve_command(0)[0])),
        "users",
        "create",
        "--email",
        email,
        "--name",
        "Bench",
        "--admin",
        "--password-stdin",
    ]
    await anyio.run_process(command, input=(PASSWORD + "\n").encode(), env=environment)
    status, body = await call(
        HOST, port, json_request("POST", "/v1/auth/login", {"email": email, "password": PASSWORD})
    )
    assert status == 200, body
    return json.loads(body)["token"]


async def get_json(port: int, path: str, token: str):
    status, body = await call(HOST, port, Request("GET", path, {"Authorization": f"Bearer {token}"}))
    assert status == 200, (path, status, body[:300])
    return json.loads(body)


async def import_once(port: int, token: str) -> tuple[float, str]:
    body = json.dumps(generated_package(15_000)).encode()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    connection = await Connection.open(HOST, port)
    try:
        started = time.perf_counter()
        status, answer = await connection.send(Request("POST", "/v1/frameworks/import", headers, body))
        elapsed = (time.perf_counter() - started) * 1000
    finally:
        connection.close()
    assert status == 201, answer[:300]
    return elapsed, json.loads(answer)["framework"]["id"]


async def load_worker(port: int, token: str, frameworks: dict[str, list[dict]]) -> None:
    """5,000 entries through the batch endpoint, then each entry's links (four connections at a time)."""
    headers = {"Authorization": f"Bearer {token}"}
    entry_ids: list[str] = []
    for batch in entry_batches():
        status, body = await call(HOST, port, json_request("POST", "/v1/evidence/batch", {"entries": batch}, headers))
        assert status == 200, body[:300]
        entry_ids += [item["id"] for item in batch]
    plans = link_plans(entry_ids, frameworks)

    async def put_links(part: list[tuple[str, list[dict]]]) -> None:
        connection = await Connection.open(HOST, port)
        try:
            for entry_id, links in part:
                await timed(
                    connection, json_request("PUT", f"/v1/evidence/{entry_id}/competences", {"links": links}, headers)
                )
        finally:
            connection.close()

    await asyncio.gather(*(put_links(plans[n::4]) for n in range(4)))


def flatten(nodes: list[dict]) -> list[dict]:
    return [item for node in nodes for item in [node, *flatten(node["children"])]]


async def measure(port: int, environment: dict[str, str], rounds: int) -> dict[str, object]:
    admin = await operator_token(port, environment)
    worker = await register_worker(port, 1)
    auth = {"Authorization": f"Bearer {worker}"}
    first_import, generated_id = await import_once(port, admin)
    listed = {f["title"].split(":")[0]: f["id"] for f in await get_json(port, "/v1/frameworks", worker)}
    chosen = {
        "NMC Code": listed["The NMC Code"],
        "SSSC CPL": listed["SSSC continuous professional learning"],
        "15,000-item framework": generated_id,
    }
    trees = {
        name: flatten((await get_json(port, f"/v1/frameworks/{fid}", worker))["items"]) for name, fid in chosen.items()
    }
    await load_worker(port, worker, trees)
    results: dict[str, object] = {
        "baseline": await sample(port, [Request("GET", "/v1/me", auth)] * rounds),
        "search": await sample(
            port,
            [Request("GET", f"/v1/competences?q={q.replace(' ', '+')}", auth) for q in SEARCHES]
            * (rounds // len(SEARCHES)),
        ),
    }
    for name, framework_id in chosen.items():
        results[f"coverage: {name}"] = await sample(
            port, [Request("GET", f"/v1/me/coverage?framework={framework_id}", auth)] * (rounds // 2)
        )
    more = [first_import] + [(await import_once(port, admin))[0] for _ in range(2)]
    results["import"] = sorted(more)
    return results


@asynccontextmanager
async def serving(database_url: str, data_dir: Path):
    port = free_port()
    environment = cpl_environment(data_dir=str(data_dir), database_url=database_url)
    with running(
        f"cpl serve ({database_url.split(':')[0]})", cpl_serve_command(port), environment, data_dir / "server.log"
    ) as server:
        await wait_healthy(server)
        yield port, environment


def _verdict(label: str, samples: list[float]) -> str:
    """Issue 4's targets: p99 for search and coverage, the slowest run for import."""
    if label == "baseline":
        return "baseline"
    if label == "coverage: 15,000-item framework":
        return "no target (every one of 15,000 items reported, ~7 MB)"
    kind = "import" if label == "import" else "search" if label == "search" else "coverage"
    measured = max(samples) if kind == "import" else percentile(samples, 99)
    return f"< {TARGETS[kind]:,.0f} ms: {'met' if measured < TARGETS[kind] else 'MISSED'}"


def report_rows(name: str, results: dict[str, list[float]]) -> list[str]:
    baseline = median(results["baseline"])
    return [
        f"| {name} | {label} | {len(samples)} | {median(samples):,.1f} | {percentile(samples, 99):,.1f} "
        f"| {max(samples):,.1f} | {median(samples) / baseline:,.1f}× | {_verdict(label, samples)} |"
        for label, samples in results.items()
    ]


async def run(arguments: argparse.Namespace) -> str:
    load_before = os.getloadavg()[0]
    rows = [
        "| database | request | n | p50 ms | p99 ms | max ms | p50 vs baseline | target (p99; import: slowest) |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    with tempfile.TemporaryDirectory(prefix="cpl-bench-competences-") as scratch:
        async with serving(f"sqlite:///{scratch}/sqlite/cpl.sqlite3", Path(scratch)) as (port, environment):
            rows += report_rows("SQLite", await measure(port, environment, arguments.rounds))
        if arguments.postgres:
            async with scratch_postgres(arguments.postgres) as url:
                (Path(scratch) / "pg").mkdir()
                async with serving(url, Path(scratch) / "pg") as (port, environment):
                    rows += report_rows("PostgreSQL", await measure(port, environment, arguments.rounds))
    versions = await server_versions(arguments.postgres) if arguments.postgres else "SQLite only"
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return "\n".join(
        [
            f"Run {when} with `.venv/bin/python -m bench.competences{' --record' if arguments.record else ''}`.",
            "",
            "Machine: "
            f"{machine_description(versions, 'python asyncio, one connection', (load_before, os.getloadavg()[0]))}.",
            "",
            f"Over HTTP against `cpl serve` (one uvicorn worker). The worker has {LINKS_PER_WORKER:,} entries, each "
            "linked to an NMC Code standard and a generated item, every third also to an SSSC CPL element. Searches "
            f"cycle through {', '.join(repr(q) for q in SEARCHES)}. Imports: three different 15,000-item packages "
            "(about 15 MB each).",
            "",
            *rows,
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.competences", description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/test", help="admin URL; '' to skip")
    parser.add_argument("--rounds", type=int, default=400, help="requests per latency sample")
    parser.add_argument("--record", action="store_true", help="write the results into bench/RESULTS.md")
    arguments = parser.parse_args()
    section = asyncio.run(run(arguments))
    publish(section, arguments.record, "bench.competences", HEADING)


if __name__ == "__main__":
    main()
