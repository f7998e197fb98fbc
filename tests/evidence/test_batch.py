"""``POST /v1/evidence/batch``: a phone's offline queue, saved all-or-nothing and safe to replay."""

from __future__ import annotations

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
