"""Accepting a suggestion through the normal sync path, and rejecting one for good (issue 19, item 3)."""

from __future__ import annotations

from tests.xapi.helpers import employer, statement, suggestions


def _entry_of(suggestion: dict, **changes) -> dict:
    """The entry the app writes when the worker accepts (as is, or with their edits)."""
    return {
        "kind": "learning_activity",
        "title": suggestion["title"],
        "occurred_on": suggestion["occurred_on"],
        "ended_on": suggestion["ended_on"],
        "duration_minutes": suggestion["duration_minutes"],
        "activity_type": suggestion["activity_type"],
        "description": suggestion["description"],
        "accepts_suggestion": True,
        **changes,
    }


async def _log(client, worker) -> list[dict]:
    return (await client.get("/v1/evidence", headers=worker)).json()["items"]


async def test_accepting_writes_one_entry_through_put_and_retries_never_duplicate(client):
    org = await employer(client)
    sent = statement(org.worker_email)
    assert (await client.post("/xapi/statements", json=sent, headers=org.lrs)).status_code == 200
    [waiting] = await suggestions(client, org.worker)
    assert await _log(client, org.worker) == []  # nothing enters the record until accepted
    body = _entry_of(waiting)
    first = await client.put(f"/v1/evidence/{waiting['id']}", json=body, headers=org.worker)
    assert first.status_code == 201, first.text
    retried = await client.put(f"/v1/evidence/{waiting['id']}", json=body, headers=org.worker)
    assert retried.status_code == 200 and retried.json()["version"] == 1
    assert [entry["title"] for entry in await _log(client, org.worker)] == ["Safeguarding adults, level 2"]
    assert await suggestions(client, org.worker) == []
    # A replay of the statement does not bring the suggestion back; rejecting an accepted one is refused.
    assert (await client.post("/xapi/statements", json=sent, headers=org.lrs)).status_code == 200
    assert await suggestions(client, org.worker) == []
    refused = await client.post(f"/v1/me/suggestions/{waiting['id']}/reject", headers=org.worker)
    assert refused.status_code == 409


async def test_an_edited_acceptance_in_a_batch_is_one_entry_too(client):
    org = await employer(client)
    assert (await client.post("/xapi/statements", json=statement(org.worker_email), headers=org.lrs)).status_code == 200
    [waiting] = await suggestions(client, org.worker)
    item = {"id": waiting["id"], **_entry_of(waiting, title="Safeguarding adults (my notes)", duration_minutes=75)}
    for _ in range(2):
        saved = await client.post("/v1/evidence/batch", json={"entries": [item]}, headers=org.worker)
        assert saved.status_code == 200, saved.text
    entries = await _log(client, org.worker)
    assert [(entry["title"], entry["duration_minutes"]) for entry in entries] == [
        ("Safeguarding adults (my notes)", 75)
    ]
    assert await suggestions(client, org.worker) == []


async def test_an_entry_written_with_the_id_but_without_the_flag_accepts_it_too(client):
    """An app older than ``accepts_suggestion`` (its outbox queued the entry before it updated), or
    another client, writes the entry with the suggestion's id only: the suggestion is not offered again."""
    org = await employer(client)
    assert (await client.post("/xapi/statements", json=statement(org.worker_email), headers=org.lrs)).status_code == 200
    [waiting] = await suggestions(client, org.worker)
    body = {key: value for key, value in _entry_of(waiting).items() if key != "accepts_suggestion"}
    assert (await client.put(f"/v1/evidence/{waiting['id']}", json=body, headers=org.worker)).status_code == 201
    assert await suggestions(client, org.worker) == []
    refused = await client.post(f"/v1/me/suggestions/{waiting['id']}/reject", headers=org.worker)
    assert refused.status_code == 409
    assert [entry["id"] for entry in await _log(client, org.worker)] == [waiting["id"]]


async def test_a_rejected_suggestion_never_comes_back(client):
    org = await employer(client)
    sent = statement(org.worker_email)
    assert (await client.post("/xapi/statements", json=sent, headers=org.lrs)).status_code == 200
    [waiting] = await suggestions(client, org.worker)
    for _ in range(2):
        rejected = await client.post(f"/v1/me/suggestions/{waiting['id']}/reject", headers=org.worker)
        assert rejected.status_code == 204
    assert await suggestions(client, org.worker) == []
    assert (await client.post("/xapi/statements", json=sent, headers=org.lrs)).status_code == 200
    put = await client.put("/xapi/statements", params={"statementId": sent["id"]}, json=sent, headers=org.lrs)
    assert put.status_code == 204
    assert await suggestions(client, org.worker) == []
    assert await _log(client, org.worker) == []


async def test_suggestions_are_their_workers_alone(client):
    org = await employer(client)
    assert (await client.post("/xapi/statements", json=statement(org.worker_email), headers=org.lrs)).status_code == 200
    [waiting] = await suggestions(client, org.worker)
    assert (await client.post(f"/v1/me/suggestions/{waiting['id']}/reject", headers=org.admin)).status_code == 404
    # Someone else writing an entry with that id accepts nothing for the worker, even saying it does.
    body = _entry_of(waiting)
    assert (await client.put(f"/v1/evidence/{waiting['id']}", json=body, headers=org.admin)).status_code == 201
    assert [item["id"] for item in await suggestions(client, org.worker)] == [waiting["id"]]
