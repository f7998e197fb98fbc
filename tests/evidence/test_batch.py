"""``POST /v1/evidence/batch``: a phone's offline queue, saved all-or-nothing and safe to replay."""

from __future__ import annotations

import asyncio
import uuid

from tests.factories import all_changes, entry_body, put_entry, sign_up


def item(entry_id: str | None = None, **fields) -> dict:
    return {"id": entry_id or str(uuid.uuid4()), **entry_body(**fields)}


async def test_a_batch_is_saved_and_its_replay_changes_nothing(client):
    headers = await sign_up(client)
    batch = {"entries": [item(title=f"Queued {n}") for n in range(5)]}
    saved = await client.post("/v1/evidence/batch", json=batch, headers=headers)
    assert saved.status_code == 200
    assert [r["outcome"] for r in saved.json()["results"]] == ["created"] * 5
    replay = await client.post("/v1/evidence/batch", json=batch, headers=headers)
    assert [r["outcome"] for r in replay.json()["results"]] == ["unchanged"] * 5
    assert [r["entry"] for r in replay.json()["results"]] == [r["entry"] for r in saved.json()["results"]]
    assert len(await all_changes(client, headers)) == 5


async def test_one_refused_item_saves_nothing(client):
    headers = await sign_up(client)
    existing = await put_entry(client, headers, title="Original")
    other = await put_entry(client, headers, title="Other")
    before = await all_changes(client, headers)
    batch = {
        "entries": [
            item(existing["id"], title="Edited offline", if_match=1),
            item(title="New while offline"),
            item(other["id"], title="Stale edit", if_match=9),
        ]
    }
    response = await client.post("/v1/evidence/batch", json=batch, headers=headers)
    assert response.status_code == 412
    assert "entries[2]" in response.json()["detail"]
    assert await all_changes(client, headers) == before


async def test_an_update_in_a_batch_needs_the_current_version(client):
    headers = await sign_up(client)
    existing = await put_entry(client, headers, title="Original")
    ok = await client.post(
        "/v1/evidence/batch", json={"entries": [item(existing["id"], title="Edited", if_match=1)]}, headers=headers
    )
    assert ok.status_code == 200 and ok.json()["results"][0]["outcome"] == "updated"
    assert ok.json()["results"][0]["entry"]["version"] == 2


async def test_someone_elses_id_in_a_batch_saves_nothing(client):
    owner = await sign_up(client)
    intruder = await sign_up(client)
    theirs = await put_entry(client, owner)
    response = await client.post(
        "/v1/evidence/batch", json={"entries": [item(), item(theirs["id"], if_match=1)]}, headers=intruder
    )
    assert response.status_code == 404
    assert await all_changes(client, intruder) == []
    assert (await client.get(f"/v1/evidence/{theirs['id']}", headers=owner)).json() == theirs


async def test_batch_limits_and_shape(client):
    headers = await sign_up(client)
    too_many = await client.post("/v1/evidence/batch", json={"entries": [item() for _ in range(101)]}, headers=headers)
    assert too_many.status_code == 422
    duplicate = item()
    twice = await client.post("/v1/evidence/batch", json={"entries": [duplicate, duplicate]}, headers=headers)
    assert twice.status_code == 422
    empty = await client.post("/v1/evidence/batch", json={"entries": []}, headers=headers)
    assert empty.status_code == 422
    bad_item = await client.post("/v1/evidence/batch", json={"entries": [item(), item(title="")]}, headers=headers)
    assert bad_item.status_code == 422
    assert any(error["field"].startswith("entries.1") for error in bad_item.json()["errors"])
    assert await all_changes(client, headers) == []


async def _feed_one_at_a_time(client, headers) -> list[str]:
    """The sync feed's ids, one a page: two changes sharing a change number would lose one here."""
    ids, since = [], None
    while True:
        params = {"limit": 1, **({"since": since} if since else {})}
        page = (await client.get("/v1/sync", params=params, headers=headers)).json()
        ids += [change["id"] for change in page["changes"]]
        since = page["next_cursor"]
        if not page["has_more"]:
            return ids


async def test_a_mixed_batch_writes_its_changes_in_item_order_and_its_replays_not_at_all(client):
    headers = await sign_up(client)
    kept = await put_entry(client, headers, title="Kept")
    edited = await put_entry(client, headers, title="Before")
    first, second = item(title="New one"), item(title="New two")
    batch = {
        "entries": [
            first,
            item(edited["id"], title="After", if_match=1),
            item(kept["id"], title="Kept"),  # a replay, even without If-Match
            second,
        ]
    }
    saved = await client.post("/v1/evidence/batch", json=batch, headers=headers)
    assert saved.status_code == 200, saved.text
    results = saved.json()["results"]
    assert [result["outcome"] for result in results] == ["created", "updated", "unchanged", "created"]
    assert [result["entry"]["version"] for result in results] == [1, 2, 1, 1]
    assert results[1]["entry"]["created_at"] == edited["created_at"]
    assert results[2]["entry"] == kept
    for result in results:
        assert (await client.get(f"/v1/evidence/{result['entry']['id']}", headers=headers)).json() == result["entry"]
    # The feed: the two PUTs, then the batch's three changes in the batch's order; the replay took no number.
    assert await _feed_one_at_a_time(client, headers) == [kept["id"], first["id"], edited["id"], second["id"]]
    replay = await client.post("/v1/evidence/batch", json=batch, headers=headers)
    assert [result["outcome"] for result in replay.json()["results"]] == ["unchanged"] * 4
    assert await _feed_one_at_a_time(client, headers) == [kept["id"], first["id"], edited["id"], second["id"]]


async def test_a_refused_item_is_named_by_its_position_and_nothing_is_written(client):
    owner, intruder = await sign_up(client), await sign_up(client)
    theirs = await put_entry(client, owner)
    mine = await put_entry(client, intruder)
    batch = {"entries": [item(), item(mine["id"], title="Changed", if_match=1), item(theirs["id"])]}
    response = await client.post("/v1/evidence/batch", json=batch, headers=intruder)
    assert response.status_code == 404
    assert response.json()["detail"].startswith(f"entries[2] ({theirs['id']})")
    assert [change["id"] for change in await all_changes(client, intruder)] == [mine["id"]]
    assert (await client.get(f"/v1/evidence/{mine['id']}", headers=intruder)).json() == mine


async def test_a_deleted_entry_in_a_batch_is_gone_and_an_edit_needs_if_match(client):
    headers = await sign_up(client)
    deleted, live = await put_entry(client, headers), await put_entry(client, headers)
    assert (await client.delete(f"/v1/evidence/{deleted['id']}", headers=headers)).status_code == 204
    before = await all_changes(client, headers)
    gone = await client.post("/v1/evidence/batch", json={"entries": [item(), item(deleted["id"])]}, headers=headers)
    assert gone.status_code == 410
    assert "entries[1]" in gone.json()["detail"]
    unversioned = await client.post(
        "/v1/evidence/batch", json={"entries": [item(live["id"], title="Changed")]}, headers=headers
    )
    assert unversioned.status_code == 428
    assert "entries[0]" in unversioned.json()["detail"]
    assert await all_changes(client, headers) == before


async def test_a_batch_and_puts_of_the_same_owner_at_once_keep_distinct_change_numbers(client):
    headers = await sign_up(client)
    batches = [{"entries": [item(title=f"Batch {n} item {i}") for i in range(20)]} for n in range(3)]
    puts = [str(uuid.uuid4()) for _ in range(6)]
    answers = await asyncio.gather(
        *(client.post("/v1/evidence/batch", json=batch, headers=headers) for batch in batches),
        *(client.put(f"/v1/evidence/{entry_id}", json=entry_body(), headers=headers) for entry_id in puts),
    )
    assert [answer.status_code for answer in answers] == [200] * 3 + [201] * 6
    written = [entry["id"] for batch in batches for entry in batch["entries"]] + puts
    feed = await _feed_one_at_a_time(client, headers)
    assert sorted(feed) == sorted(written)
    for batch in batches:  # each batch's items in its order
        ids = [entry["id"] for entry in batch["entries"]]
        assert [entry_id for entry_id in feed if entry_id in ids] == ids
