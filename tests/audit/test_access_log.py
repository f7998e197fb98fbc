"""Who has seen my record: reads by others are logged and shown to the worker, newest first."""

from __future__ import annotations

from tests.organisations.helpers import share, team


async def _access_log(client, headers, **params) -> dict:
    response = await client.get("/v1/me/access-log", headers=headers, params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_supervisor_reading_a_shared_entry_shows_in_the_workers_access_log(client):
    t = await team(client)
    await share(client, t.worker, t.organisation_id, supervisor_id=t.supervisor_id, entry_ids=[t.entry["id"]])
    assert (await _access_log(client, t.worker))["items"] == []
    opened = await client.get(f"/v1/shared/evidence/{t.entry['id']}", headers=t.supervisor)
    assert opened.status_code == 200
    listed = await client.get(f"/v1/shared/workers/{t.worker_id}/evidence", headers=t.supervisor)
    assert listed.status_code == 200
    items = (await _access_log(client, t.worker))["items"]
    assert [(item["action"], item["name"], item["role"]) for item in items] == [
        ("entry_list.viewed", "Sam Supervisor", "supervisor"),
        ("entry.viewed", "Sam Supervisor", "supervisor"),
    ]
    assert items[1]["object"] == f"entry:{t.entry['id']}"
    assert items[1]["organisation"] and items[1]["at"].endswith("Z")
    assert (await _access_log(client, t.supervisor))["items"] == []  # it is the worker's log, not the reader's


async def test_the_access_log_pages_newest_first(client):
    t = await team(client)
    await share(client, t.worker, t.organisation_id, supervisor_id=t.supervisor_id, entry_ids=[t.entry["id"]])
    for _ in range(3):
        assert (await client.get(f"/v1/shared/evidence/{t.entry['id']}", headers=t.supervisor)).status_code == 200
    first = await _access_log(client, t.worker, limit=2)
    assert len(first["items"]) == 2 and first["next_cursor"]
    second = await _access_log(client, t.worker, limit=2, cursor=first["next_cursor"])
    assert len(second["items"]) == 1 and second["next_cursor"] is None
    assert first["items"][0]["at"] >= first["items"][1]["at"] >= second["items"][0]["at"]
    bad = await client.get("/v1/me/access-log", headers=t.worker, params={"cursor": "nope"})
    assert bad.status_code == 400 and bad.headers["content-type"] == "application/problem+json"


async def test_the_access_log_needs_a_session(client):
    assert (await client.get("/v1/me/access-log")).status_code == 401
