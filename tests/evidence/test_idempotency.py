"""``POST /v1/evidence`` with ``Idempotency-Key``: replay, misuse, and a request still in flight."""

from __future__ import annotations

import asyncio
import uuid

from cpl.evidence import idempotency
from cpl.evidence.mapping import content_hash
from cpl.evidence.schemas import EvidenceContent
from tests.factories import all_changes, entry_body, sign_up


async def test_same_key_and_body_replays_the_first_response(client):
    headers = {**await sign_up(client), "Idempotency-Key": "flush-42"}
    body = entry_body()
    first = await client.post("/v1/evidence", json=body, headers=headers)
    replay = await client.post("/v1/evidence", json=body, headers=headers)
    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json()
    assert (first.headers["idempotent-replayed"], replay.headers["idempotent-replayed"]) == ("false", "true")
    assert len(await all_changes(client, headers)) == 1


async def test_same_key_with_a_different_body_is_refused(client):
    headers = {**await sign_up(client), "Idempotency-Key": "flush-43"}
    await client.post("/v1/evidence", json=entry_body(title="One"), headers=headers)
    misuse = await client.post("/v1/evidence", json=entry_body(title="Two"), headers=headers)
    assert misuse.status_code == 422
    assert "Idempotency-Key" in misuse.json()["detail"]
    assert len(await all_changes(client, headers)) == 1


async def test_keys_belong_to_one_worker(client):
    body = entry_body()
    alice = {**await sign_up(client), "Idempotency-Key": "shared-key"}
    bob = {**await sign_up(client), "Idempotency-Key": "shared-key"}
    first = await client.post("/v1/evidence", json=body, headers=alice)
    second = await client.post("/v1/evidence", json=body, headers=bob)
    assert first.json()["id"] != second.json()["id"]


async def test_a_key_still_in_flight_answers_409(client, settings):
    headers = {**await sign_up(client), "Idempotency-Key": "slow-one"}
    me = (await client.get("/v1/me", headers=headers)).json()
    body = entry_body()
    # The first request has claimed the key and not finished (as if still running).
    claimed = await idempotency.claim(
        settings, uuid.UUID(me["id"]), "slow-one", content_hash(EvidenceContent.model_validate(body))
    )
    assert claimed is None
    response = await client.post("/v1/evidence", json=body, headers=headers)
    assert response.status_code == 409
    assert await all_changes(client, headers) == []


async def test_concurrent_retries_create_one_entry(client):
    headers = {**await sign_up(client), "Idempotency-Key": "burst"}
    body = entry_body()
    responses = await asyncio.gather(*(client.post("/v1/evidence", json=body, headers=headers) for _ in range(8)))
    created = {r.json()["id"] for r in responses if r.status_code == 201}
    assert len(created) == 1
    assert {r.status_code for r in responses} <= {201, 409}
    assert len(await all_changes(client, headers)) == 1


async def test_a_failed_request_frees_its_key(client):
    headers = {**await sign_up(client), "Idempotency-Key": "retry-me"}
    invalid = await client.post("/v1/evidence", json=entry_body(duration_minutes=-5), headers=headers)
    assert invalid.status_code == 422
    ok = await client.post("/v1/evidence", json=entry_body(), headers=headers)
    assert ok.status_code == 201
