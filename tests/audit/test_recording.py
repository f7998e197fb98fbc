"""What is recorded: sign-ins, reads of a worker's record by others, review steps; with a coarse client."""

from __future__ import annotations

from cpl.audit.repository import filtered
from tests.factories import sign_up
from tests.reviews.helpers import submitted


async def test_sign_ins_are_recorded_with_their_outcome_and_a_coarse_client(client):
    headers = await sign_up(client, "ann-audit@example.org")
    me = (await client.get("/v1/me", headers=headers)).json()
    wrong = await client.post(
        "/v1/auth/login",
        json={"email": "ann-audit@example.org", "password": "not the password", "device_name": "x"},
        headers={"User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"},
    )
    assert wrong.status_code == 401
    failed = await filtered(action="signin")
    assert failed[0]["outcome"] == "failure" and str(failed[0]["subject"]) == me["id"] and failed[0]["actor"] is None
    assert failed[0]["user_agent"] == "Firefox/Linux" and failed[0]["network"] == "127.0.0.0/24"
    assert failed[0]["request_id"]


async def test_the_request_id_a_client_sends_is_kept(client):
    await client.post(
        "/v1/auth/login",
        json={"email": "nobody@example.org", "password": "whatever it is", "device_name": "x"},
        headers={"X-Request-ID": "req-123"},
    )
    (event,) = await filtered(action="signin")
    assert event["request_id"] == "req-123" and event["subject"] is None


async def test_a_reviewer_reading_and_verifying_is_in_the_workers_access_log(client):
    t, made = await submitted(client)
    assert (await client.get(f"/v1/reviews/{made['id']}", headers=t.supervisor)).status_code == 200
    assert (await client.get(f"/v1/reviews/{made['id']}", headers=t.worker)).status_code == 200  # their own: not logged
    assert (await client.get("/v1/team", headers=t.supervisor)).status_code == 200
    log = (await client.get("/v1/me/access-log", headers=t.worker)).json()["items"]
    assert [(item["action"], item["role"]) for item in log] == [
        ("team.viewed", "supervisor"),
        ("review.viewed", "reviewer"),
    ]
    assert all(item["name"] == "Sam Supervisor" and item["organisation"] for item in log)
    submitted_events = await filtered(action="review.*")
    assert [event["action"] for event in submitted_events] == ["review.viewed", "review.submitted"]


async def test_confirming_an_address_and_signing_in_are_recorded_for_the_account(client):
    headers = await sign_up(client)
    me = (await client.get("/v1/me", headers=headers)).json()
    events = await filtered(subject=me["id"])
    assert [(event["action"], event["outcome"]) for event in events] == [
        ("signin", "success"),
        ("email.confirmed", "success"),
    ]
    assert all(str(event["actor"]) == me["id"] for event in events)
