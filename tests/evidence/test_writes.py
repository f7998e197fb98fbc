"""Writing entries: PUT with client ids, replays, If-Match, PATCH, DELETE, ownership."""

from __future__ import annotations

import uuid

from tests.factories import all_changes, entry_body, put_entry, sign_up


async def test_put_creates_with_the_clients_id(client):
    headers = await sign_up(client)
    entry_id = str(uuid.uuid4())
    response = await client.put(f"/v1/evidence/{entry_id}", json=entry_body(title="Dementia care"), headers=headers)
    assert response.status_code == 201
    assert response.headers["etag"] == '"1"'
    body = response.json()
    assert body["id"] == entry_id and body["version"] == 1 and body["title"] == "Dementia care"
    fetched = await client.get(f"/v1/evidence/{entry_id}", headers=headers)
    assert fetched.json() == body
    # Written straight from the row, the answer matches the pydantic-built list item to the string.
    assert (await client.get("/v1/evidence", headers=headers)).json()["items"] == [body]


async def test_replaying_an_identical_put_changes_nothing(client):
    headers = await sign_up(client)
    entry_id = str(uuid.uuid4())
    body = entry_body()
    first = await client.put(f"/v1/evidence/{entry_id}", json=body, headers=headers)
    replay = await client.put(f"/v1/evidence/{entry_id}", json=body, headers=headers)
    assert (first.status_code, replay.status_code) == (201, 200)
    assert replay.json() == first.json()
    assert len(await all_changes(client, headers)) == 1


async def test_changing_an_entry_needs_its_current_etag(client):
    headers = await sign_up(client)
    entry = await put_entry(client, headers)
    path = f"/v1/evidence/{entry['id']}"
    changed = entry_body(title="Retitled")

    missing = await client.put(path, json=changed, headers=headers)
    assert missing.status_code == 428
    stale = await client.put(path, json=changed, headers={**headers, "If-Match": '"7"'})
    assert stale.status_code == 412
    assert (await client.get(path, headers=headers)).json()["title"] == entry["title"]

    updated = await client.put(path, json=changed, headers={**headers, "If-Match": '"1"'})
    assert updated.status_code == 200
    assert updated.json()["version"] == 2 and updated.headers["etag"] == '"2"'
    # The same update retried after a lost response is a replay, whatever If-Match it carries.
    retried = await client.put(path, json=changed, headers={**headers, "If-Match": '"1"'})
    assert retried.status_code == 200 and retried.json()["version"] == 2


async def test_put_on_someone_elses_id_touches_nothing_and_reveals_nothing(client):
    owner = await sign_up(client)
    intruder = await sign_up(client)
    entry = await put_entry(client, owner, title="Private reflection")
    path = f"/v1/evidence/{entry['id']}"
    for headers in (intruder, {**intruder, "If-Match": '"1"'}):
        response = await client.put(path, json=entry_body(title="Overwritten"), headers=headers)
        assert response.status_code == 404
        assert "Private" not in response.text
    assert (await client.get(path, headers=owner)).json() == entry
    assert (await client.get(path, headers=intruder)).status_code == 404
    assert (await client.patch(path, json={"title": "x"}, headers={**intruder, "If-Match": '"1"'})).status_code == 404
    assert (await client.delete(path, headers=intruder)).status_code == 404
    assert (await client.get(path, headers=owner)).status_code == 200


async def test_patch_changes_only_the_fields_sent(client):
    headers = await sign_up(client)
    entry = await put_entry(client, headers, tags=["a"], duration_minutes=60)
    path = f"/v1/evidence/{entry['id']}"
    assert (await client.patch(path, json={"title": "New"}, headers=headers)).status_code == 428
    patched = await client.patch(
        path, json={"title": "New", "tags": ["b", "c"]}, headers={**headers, "If-Match": '"1"'}
    )
    assert patched.status_code == 200
    body = patched.json()
    assert (body["title"], body["tags"], body["duration_minutes"], body["version"]) == ("New", ["b", "c"], 60, 2)
    stale = await client.patch(path, json={"title": "Newer"}, headers={**headers, "If-Match": '"1"'})
    assert stale.status_code == 412


async def test_a_retried_patch_is_a_replay(client):
    """README: "A retried edit whose content already matches is a replay, whatever If-Match it carries"."""
    headers = await sign_up(client)
    entry = await put_entry(client, headers, title="Old")
    path = f"/v1/evidence/{entry['id']}"
    edit = {"json": {"title": "New"}, "headers": {**headers, "If-Match": '"1"'}}
    first = await client.patch(path, **edit)
    retried = await client.patch(path, **edit)
    assert (first.status_code, retried.status_code) == (200, 200)
    assert retried.json() == first.json() and retried.headers["etag"] == '"2"'
    assert (await client.get(path, headers=headers)).json()["version"] == 2
    # A different edit at the old version is still refused.
    assert (await client.patch(path, json={"title": "Other"}, headers=edit["headers"])).status_code == 412


async def test_patch_that_would_make_the_entry_invalid_is_refused(client):
    headers = await sign_up(client)
    entry = await put_entry(client, headers, occurred_on="2025-03-10")
    path = f"/v1/evidence/{entry['id']}"
    response = await client.patch(path, json={"ended_on": "2025-03-01"}, headers={**headers, "If-Match": '"1"'})
    assert response.status_code == 422
    assert (await client.get(path, headers=headers)).json() == entry


async def test_delete_leaves_a_tombstone_for_sync(client):
    headers = await sign_up(client)
    entry = await put_entry(client, headers, title="To be removed")
    path = f"/v1/evidence/{entry['id']}"
    assert (await client.delete(path, headers={**headers, "If-Match": '"5"'})).status_code == 412
    assert (await client.delete(path, headers=headers)).status_code == 204
    assert (await client.delete(path, headers=headers)).status_code == 204  # idempotent
    assert (await client.get(path, headers=headers)).status_code == 410
    assert (await client.get("/v1/evidence", headers=headers)).json()["items"] == []
    [change] = await all_changes(client, headers)
    assert change == {"id": entry["id"], "version": 2, "deleted": True, "entry": None}
    # A phone replaying the original create does not bring it back.
    revived = await client.put(path, json=entry_body(title="To be removed"), headers=headers)
    assert revived.status_code == 410


async def test_post_assigns_an_id(client):
    headers = await sign_up(client)
    first = await client.post("/v1/evidence", json=entry_body(), headers=headers)
    second = await client.post("/v1/evidence", json=entry_body(), headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]
