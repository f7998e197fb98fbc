"""A node killed mid-export: another node re-queues its job within seconds and finishes it (issue 18)."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import httpx

from bench.cluster import ServeProcess
from cpl.settings import Settings
from tests.deployment.cluster import ClusterMailbox, node
from tests.factories import entry_body, sign_up
from tests.migrations.sql import fetch

#: Enough entries that the PDF takes seconds to make on this machine (bench/RESULTS.md).
ENTRIES = 600


def _nodes(settings: Settings, folder: Path) -> list[ServeProcess]:
    shared = {
        "CPL_DATABASE_URL": settings.resolved_database_url,
        "CPL_STORAGE_URL": f"file://{folder / 'store'}",
        "CPL_EXPORT_STALE_AFTER": "PT3S",
        "CPL_EXPORT_POLL_INTERVAL": "PT0.5S",
    }
    return [node(name, folder, shared) for name in ("node-a", "node-b")]


async def _worker_with_entries(client: httpx.AsyncClient) -> dict[str, str]:
    headers = await sign_up(client)
    for start in range(0, ENTRIES, 100):
        entries = [{"id": str(uuid.uuid4()), **entry_body()} for _ in range(min(100, ENTRIES - start))]
        response = await client.post("/v1/evidence/batch", json={"entries": entries}, headers=headers)
        assert response.status_code == 200, response.text
    return headers


async def _runner_of(database_url: str, export_id: str) -> str:
    while True:
        rows = await fetch(database_url, f"SELECT status, runner FROM export WHERE id = '{export_id}'")
        if rows and rows[0][0] == "running":
            return rows[0][1]
        await asyncio.sleep(0.05)


async def _finished(client: httpx.AsyncClient, headers: dict, export_id: str) -> dict:
    for _ in range(1800):
        body = (await client.get(f"/v1/exports/{export_id}", headers=headers)).json()
        if body["status"] in ("done", "failed"):
            return body
        await asyncio.sleep(0.1)
    raise AssertionError(f"export {export_id} still {body['status']}")


async def test_an_export_whose_node_is_killed_is_finished_by_another(settings, tmp_path):
    nodes = _nodes(settings, tmp_path)
    try:
        for node in nodes:
            node.start()
        for node in nodes:
            node.wait_ready()
        async with httpx.AsyncClient(base_url=nodes[0].url, timeout=60) as first:
            first.mailbox = ClusterMailbox(nodes)
            headers = await _worker_with_entries(first)
            started = await first.post("/v1/exports", json={"format": "pdf", "selection": {}}, headers=headers)
            assert started.status_code == 202, started.text
            export_id = started.json()["id"]
            runner = await _runner_of(settings.resolved_database_url, export_id)
        doomed = next(node for node in nodes if f":{node.pid}:" in runner)
        survivor = next(node for node in nodes if node is not doomed)
        doomed.kill()
        async with httpx.AsyncClient(base_url=survivor.url, timeout=60) as other:
            done = await _finished(other, headers, export_id)
            assert done["status"] == "done", done
            assert (await other.get(f"/verify/{export_id}")).status_code == 200
        (finished_by,) = (
            await fetch(settings.resolved_database_url, f"SELECT runner FROM export WHERE id = '{export_id}'")
        )[0]
        assert f":{survivor.pid}:" in finished_by
    finally:
        for node in nodes:
            node.stop()
