"""The reference deployment (issue 18): nginx with infra/nginx/cpl-locations.conf in front of three
``cpl serve`` nodes on one PostgreSQL database and one S3 store (moto's server, over HTTP).

50 phones write through nginx while one node is killed (SIGKILL) and started again, and then
while all three are restarted one by one (SIGTERM, as systemd does). Afterwards: every
acknowledged write is in the database exactly once, sync from zero returns every entry in change
order with no gap, no request failed during the rolling restart (nodes drain in-flight requests,
nginx retries on another node), and an export whose node was killed was finished by another.
nginx's id for a request is the one in the node's log.
"""

from __future__ import annotations

import asyncio
import signal
import uuid
from pathlib import Path

import httpx
import pytest

from bench.cluster import Nginx, ServeProcess, nginx_binary
from tests.conftest import POSTGRES_URL
from tests.deployment.cluster import ClusterMailbox, node
from tests.deployment.phones import Phase, Phone, live, sync_from_zero
from tests.factories import entry_body, sign_up
from tests.migrations.sql import fetch
from tests.storage.fixtures import s3_overrides

pytestmark = [
    pytest.mark.skipif(not POSTGRES_URL, reason="several nodes need a shared PostgreSQL database"),
    pytest.mark.skipif(nginx_binary() is None, reason="nginx is not installed (.ci/run installs it)"),
]

PHONES = 50
#: Entries of the worker whose export is running when its node is killed (a PDF of seconds).
EXPORT_ENTRIES = 300


def _cluster(settings, folder: Path, s3_endpoint: str, s3_bucket: str) -> list[ServeProcess]:
    storage = s3_overrides(s3_endpoint, s3_bucket) | {"storage_max_attempts": 3}
    environment = {
        "CPL_DATABASE_URL": settings.resolved_database_url,
        **{f"CPL_{key.upper()}": str(value) for key, value in storage.items()},
        "CPL_TRUSTED_PROXIES": "127.0.0.1",
        "CPL_EXPORT_STALE_AFTER": "PT3S",
        "CPL_EXPORT_POLL_INTERVAL": "PT0.5S",
        "CPL_SHUTDOWN_GRACE": "PT20S",
        "CPL_LOGIN_FAILURES_PER_ADDRESS": "1000",
        "CPL_SIGNUP_ATTEMPTS_PER_ADDRESS": "1000",
    }
    return [node(f"node-{number}", folder, environment) for number in (1, 2, 3)]


async def _phones(client: httpx.AsyncClient) -> list[Phone]:
    limit = asyncio.Semaphore(5)

    async def one() -> Phone:
        async with limit:
            return Phone(await sign_up(client))

    return list(await asyncio.gather(*(one() for _ in range(PHONES))))


async def _start_long_export(client: httpx.AsyncClient, database_url: str) -> tuple[dict, str, str]:
    """A worker with enough entries that their PDF takes a while; returns headers, export id, runner."""
    headers = await sign_up(client)
    for _ in range(EXPORT_ENTRIES // 100):
        entries = [{"id": str(uuid.uuid4()), **entry_body()} for _ in range(100)]
        assert (await client.post("/v1/evidence/batch", json={"entries": entries}, headers=headers)).is_success
    started = await client.post("/v1/exports", json={"format": "pdf", "selection": {}}, headers=headers)
    assert started.status_code == 202, started.text
    export_id = started.json()["id"]
    while True:
        rows = await fetch(database_url, f"SELECT status, runner FROM export WHERE id = '{export_id}'")
        if rows[0][0] == "running":
            return headers, export_id, rows[0][1]
        await asyncio.sleep(0.05)


async def _restart(node: ServeProcess, *, kill: bool) -> None:
    if kill:
        node.kill()
    else:
        # uvicorn re-raises the SIGTERM it handled once it has shut down cleanly
        assert node.stop() in (0, -signal.SIGTERM), node.output()
        assert node.output().rstrip().endswith("Finished server process " + f"[{node.pid}]"), node.output()
    node.start()
    await asyncio.to_thread(node.wait_ready)


async def _check_phone(client: httpx.AsyncClient, phone: Phone, database_url: str) -> None:
    changes = await sync_from_zero(client, phone)
    synced = [change["id"] for change in changes]
    assert sorted(synced) == sorted(set(phone.entries)) and len(synced) == len(set(synced))
    owner = (await client.get("/v1/me", headers=phone.headers)).json()["id"]
    rows = await fetch(
        database_url, f"SELECT id, change_seq FROM evidence_entry WHERE owner = '{owner}' ORDER BY change_seq"
    )
    assert [str(row[0]) for row in rows] == synced, "sync order is the change order"
    assert [row[1] for row in rows] == list(range(1, len(rows) + 1)), "no gap in the change sequence"
    if phone.attachments:
        listed = ", ".join(f"'{attachment}'" for attachment in phone.attachments)
        stored = await fetch(database_url, f"SELECT count(*) FROM attachment WHERE id IN ({listed})")
        assert stored[0][0] == len(set(phone.attachments))
        last = await client.get(f"/v1/attachments/{phone.attachments[-1]}", headers=phone.headers)
        assert last.status_code == 200, last.text


async def _wait_done(client: httpx.AsyncClient, headers: dict, export_id: str) -> dict:
    for _ in range(600):
        export = (await client.get(f"/v1/exports/{export_id}", headers=headers)).json()
        if export["status"] in ("done", "failed"):
            return export
        await asyncio.sleep(0.1)
    return export


async def _live_through_failures(client: httpx.AsyncClient, nodes: list[ServeProcess], database_url: str) -> None:
    phones = await _phones(client)
    exporter, export_id, runner = await _start_long_export(client, database_url)
    phase = Phase()
    writing = [asyncio.create_task(live(client, phone, phase)) for phone in phones]
    try:
        phase.name = "node killed"
        await _restart(next(node for node in nodes if f":{node.pid}:" in runner), kill=True)
        phase.name = "rolling restart"
        for node in nodes:
            await _restart(node, kill=False)
        phase.name = "after"
        await asyncio.sleep(1)
    finally:
        phase.running = False
        await asyncio.gather(*writing)
    failed = [failure for phone in phones for failure in phone.failures if failure[0] == "rolling restart"]
    assert failed == [], failed[:10]
    assert sum(len(phone.entries) for phone in phones) > PHONES
    for phone in phones:
        await _check_phone(client, phone, database_url)
    export = await _wait_done(client, exporter, export_id)
    assert export["status"] == "done", export
    (finished_by,) = (await fetch(database_url, f"SELECT runner FROM export WHERE id = '{export_id}'"))[0]
    assert finished_by != runner


async def _one_request_id_in_both_logs(client: httpx.AsyncClient, proxy: Nginx, nodes: list[ServeProcess]) -> None:
    """nginx's id for a request is the one cpl answers with and logs (it trusts the proxy)."""
    answer = await client.get("/health/live")
    request_id = answer.headers["x-request-id"]
    assert len(request_id) == 32, request_id  # nginx's $request_id: 32 hexadecimal digits
    for _ in range(50):  # nginx writes its access line once the answer is sent
        if f"request_id={request_id} " in proxy.access_log.read_text():
            break
        await asyncio.sleep(0.1)
    assert f"request_id={request_id} " in proxy.access_log.read_text()
    assert any(f"request_id={request_id}" in node.log.read_text() for node in nodes)


async def test_phones_through_nginx_survive_a_killed_node_and_a_rolling_restart(
    settings, tmp_path, s3_endpoint, s3_bucket
):
    nodes = _cluster(settings, tmp_path, s3_endpoint, s3_bucket)
    proxy = None
    try:
        for node in nodes:
            node.start()
        await asyncio.gather(*(asyncio.to_thread(node.wait_ready) for node in nodes))
        proxy = Nginx(tmp_path, nodes).start()
        limits = httpx.Limits(max_connections=PHONES + 10)
        async with httpx.AsyncClient(base_url=proxy.url, timeout=60, limits=limits) as client:
            client.mailbox = ClusterMailbox(nodes)
            await _live_through_failures(client, nodes, settings.resolved_database_url)
            await _one_request_id_in_both_logs(client, proxy, nodes)
    finally:
        if proxy is not None:
            proxy.stop()
        for node in nodes:
            node.stop()
