"""The job runner: queued rows claimed once, stale running jobs queued again, failures reported."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from cpl.exports.job_leases import LeaseLost, Progress, claim_next, requeue_stale
from cpl.exports.tables import Export
from tests.exports.helpers import start_export, wait_for, worker_record
from tests.factories import put_entry, sign_up


async def test_a_job_is_claimed_by_exactly_one_worker(client_for, make_settings):
    client = await client_for(make_settings(export_workers=0))
    headers = await sign_up(client)
    await put_entry(client, headers)
    started = await start_export(client, headers, "json")
    claims = await asyncio.gather(*(claim_next() for _ in range(5)))
    assert [str(claim["id"]) for claim in claims if claim] == [started["id"]]
    assert (await client.get(f"/v1/exports/{started['id']}", headers=headers)).json()["status"] == "running"


async def test_a_job_left_running_by_a_dead_process_is_run_again_at_start_up(client_for, make_settings):
    idle = make_settings(export_workers=0)
    client = await client_for(idle)
    headers = await sign_up(client)
    await put_entry(client, headers)
    started = await start_export(client, headers, "json")
    assert await claim_next() is not None
    long_ago = datetime.now(UTC) - timedelta(hours=1)
    await Export.update({Export.heartbeat_at: long_ago}).where(Export.id == started["id"])
    fresh = await requeue_stale(idle)
    assert fresh == 1
    await Export.update({Export.status: "running", Export.heartbeat_at: long_ago}).where(Export.id == started["id"])
    working = await client_for(
        idle.model_copy(update={"export_workers": 1, "export_poll_interval": timedelta(milliseconds=50)})
    )
    done = await wait_for(working, headers, started["id"])
    assert done["status"] == "done"


async def test_a_running_job_with_a_live_heartbeat_is_left_alone(client_for, make_settings):
    idle = make_settings(export_workers=0)
    client = await client_for(idle)
    headers = await sign_up(client)
    await put_entry(client, headers)
    await start_export(client, headers, "json")
    await claim_next()
    assert await requeue_stale(idle) == 0


async def test_a_file_missing_from_storage_fails_the_export_with_a_reason(client, settings):
    headers = await sign_up(client)
    made = await worker_record(client, headers)
    text = next(file for file in made["files"] if file["filename"] == "certificate.txt")
    for path in (settings.data_dir / "attachments").rglob(text["id"].replace("-", "")):
        path.write_bytes(b"tampered\n")
    started = await start_export(client, headers, "bundle")
    failed = await wait_for(client, headers, started["id"])
    assert failed["status"] == "failed" and "certificate.txt" in failed["error"]
    assert (await client.get(f"/v1/exports/{started['id']}/download", headers=headers)).status_code == 409
    assert (await client.get(f"/verify/{started['id']}", headers={"Accept": "application/json"})).status_code == 404


async def test_a_node_whose_job_was_claimed_again_writes_nothing_more(client_for, make_settings):
    """A slow node's lease lapsed and another node claimed the job: the first node's writes are refused."""
    idle = make_settings(export_workers=0)
    client = await client_for(idle)
    headers = await sign_up(client)
    await put_entry(client, headers)
    started = await start_export(client, headers, "json")
    slow = await claim_next("slow-node")
    await Export.update({Export.heartbeat_at: datetime.now(UTC) - timedelta(hours=1)}).where(Export.id == started["id"])
    assert await requeue_stale(idle) == 1
    other = await claim_next("other-node")
    assert other["runner"] == "other-node" and other["started_at"] != slow["started_at"]
    with pytest.raises(LeaseLost):
        await Progress(slow).write()
    assert await Progress(other).write() is None
