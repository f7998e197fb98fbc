"""``POST /v1/evidence`` with ``Idempotency-Key``: replay, misuse, and a request still in flight."""

from __future__ import annotations

import asyncio
import uuid

from cpl.db import Sql
from cpl.evidence import idempotency
from cpl.evidence.mapping import content_hash
from cpl.evidence.schemas import EvidenceContent
from cpl.kernel import clock
from cpl.scheduling import Node, leases
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


async def _claimed_by(client, settings, node: Node, key: str) -> tuple[dict, dict]:
    """The key claimed by a first request on ``node`` that has not finished (as if still running)."""
    headers = {**await sign_up(client), "Idempotency-Key": key}
    me = (await client.get("/v1/me", headers=headers)).json()
    body = entry_body()
    content = content_hash(EvidenceContent.model_validate(body))
    assert await idempotency.claim(settings, node, uuid.UUID(me["id"]), key, content) is None
    return headers, body


async def test_a_key_still_in_flight_on_a_live_node_answers_409_with_retry_after(client, settings):
    live = Node()
    await leases.beat(live.id)
    headers, body = await _claimed_by(client, settings, live, "slow-one")
    response = await client.post("/v1/evidence", json=body, headers=headers)
    assert response.status_code == 409
    assert response.headers["retry-after"] == "1"
    assert response.headers["content-type"] == "application/problem+json"
    assert await all_changes(client, headers) == []


async def test_a_key_held_by_a_dead_node_is_taken_over_at_once(client, settings):
    """The first request's process was killed: no 60-second wait (issue 18)."""
    dead = Node()
    await leases.beat(dead.id)
    headers, body = await _claimed_by(client, settings, dead, "orphaned")
    await Sql("UPDATE node_beat SET seen_at = {} WHERE id = {}").rows(clock.now() - settings.node_lease * 2, dead.id)
    response = await client.post("/v1/evidence", json=body, headers=headers)
    assert response.status_code == 201
    replay = await client.post("/v1/evidence", json=body, headers=headers)
    assert (replay.status_code, replay.json()) == (201, response.json())
    assert len(await all_changes(client, headers)) == 1


async def test_a_key_held_by_a_node_that_shut_down_is_taken_over_at_once(client, settings):
    gone = Node()
    await leases.beat(gone.id)
    headers, body = await _claimed_by(client, settings, gone, "left")
    await leases.leave(gone.id)
    response = await client.post("/v1/evidence", json=body, headers=headers)
    assert response.status_code == 201


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
