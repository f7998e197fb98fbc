"""The review workflow, verification binding and staleness, and the supervisor's queue."""

from __future__ import annotations

import uuid

from cpl.kernel.pagination import encode_cursor
from cpl.reviews import current_verifications
from tests.attachments import corpus
from tests.factories import entry_body, put_entry
from tests.organisations.helpers import share
from tests.reviews.helpers import review, submitted

VERIFY = {
    "statement": "I confirm Wren attended and reflected on it.",
    "role": "Registered nurse, ward manager",
    "registration_number": "12A3456E",
}


async def test_changes_requested_then_resubmitted_then_verified(client):
    t, made = await submitted(client)
    queue = (await client.get("/v1/reviews", headers=t.supervisor)).json()
    assert [item["id"] for item in queue["items"]] == [made["id"]]
    asked = await client.post(
        f"/v1/reviews/{made['id']}/request-changes", json={"body": "Add what you learnt."}, headers=t.supervisor
    )
    assert asked.json()["state"] == "changes_requested"
    assert (await client.get("/v1/reviews", headers=t.supervisor)).json()["items"] == []
    assert (await client.post(f"/v1/reviews/{made['id']}/verify", json=VERIFY, headers=t.supervisor)).status_code == 409
    assert (await client.post(f"/v1/reviews/{made['id']}/resubmit", json={"body": "Added."}, headers=t.worker)).json()[
        "state"
    ] == "submitted"
    verified = await client.post(f"/v1/reviews/{made['id']}/verify", json=VERIFY, headers=t.supervisor)
    assert verified.status_code == 200, verified.text
    detail = verified.json()
    assert [step["action"] for step in detail["history"]] == [
        "submitted",
        "changes_requested",
        "resubmitted",
        "verified",
    ]
    verification = detail["verifications"][0]
    assert verification["verifier_name"] == "Sam Supervisor" and verification["verifier_role"] == VERIFY["role"]
    assert (
        verification["verifier_registration_number"] == "12A3456E"
        and verification["organisation_name"] == "Riverside Care"
    )
    assert verification["statement"] == VERIFY["statement"] and verification["stale"] is False
    assert (await client.get("/v1/reviews", params={"state": "verified"}, headers=t.supervisor)).json()["items"][0][
        "id"
    ] == made["id"]
    assert (await client.get("/v1/reviews/submitted", headers=t.worker)).json()["items"][0]["state"] == "verified"


async def test_editing_a_verified_entry_makes_the_verification_stale(client):
    t, made = await submitted(client)
    await client.post(f"/v1/reviews/{made['id']}/verify", json=VERIFY, headers=t.supervisor)
    entry_id = uuid.UUID(t.entry["id"])
    held = (await current_verifications([entry_id]))[entry_id]
    assert held[0]["statement"] == VERIFY["statement"] and held[0]["verified_at"].utcoffset().total_seconds() == 0
    assert set(held[0]) == {
        "id",
        "verifier_name",
        "verifier_role",
        "verifier_registration_number",
        "verifier_register",
        "organisation_name",
        "organisation_vetted",
        "organisation_standing",
        "statement",
        "verified_at",
        "content_hash",
    }
    edited = await client.put(
        f"/v1/evidence/{t.entry['id']}", json=entry_body(title="Edited"), headers={**t.worker, "If-Match": '"1"'}
    )
    assert edited.status_code == 200
    verifications = (await client.get(f"/v1/evidence/{t.entry['id']}/verifications", headers=t.worker)).json()
    assert [item["stale"] for item in verifications] == [True]
    assert await current_verifications([entry_id]) == {}
    assert (await review(client, t.worker, made["id"]))["verifications"][0]["stale"] is True
    again = await client.post(
        f"/v1/reviews/{made['id']}/resubmit", json={"body": "Edited; please verify again."}, headers=t.worker
    )
    assert again.status_code == 200
    assert (await client.post(f"/v1/reviews/{made['id']}/verify", json=VERIFY, headers=t.supervisor)).status_code == 200
    stale = [
        item["stale"]
        for item in (await client.get(f"/v1/evidence/{t.entry['id']}/verifications", headers=t.worker)).json()
    ]
    assert stale == [True, False]


async def test_a_new_file_makes_the_verification_stale(client):
    t, made = await submitted(client)
    await client.post(f"/v1/reviews/{made['id']}/verify", json=VERIFY, headers=t.supervisor)
    uploaded = await client.post(
        f"/v1/evidence/{t.entry['id']}/attachments",
        files={"file": ("c.jpg", corpus.jpeg(), "image/jpeg")},
        headers=t.worker,
    )
    assert uploaded.status_code == 201
    assert [
        item["stale"]
        for item in (await client.get(f"/v1/evidence/{t.entry['id']}/verifications", headers=t.worker)).json()
    ] == [True]


async def _unchanged(client, t, made) -> None:
    detail = await review(client, t.worker, made["id"])
    assert (
        detail["state"] == made["state"]
        and detail["verifications"] == []
        and len(detail["history"]) == len(made["history"])
    )


async def _closed_unverified(client, t, made) -> None:
    """Closed when the supervisor lost the entry (issue 15), with nothing verified or said by them."""
    detail = await review(client, t.worker, made["id"])
    assert detail["state"] == "closed" and detail["verifications"] == []
    assert [step["action"] for step in detail["history"]] == [step["action"] for step in made["history"]] + ["closed"]


def _problem(response, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json") and response.json()["detail"]


async def test_verifying_ones_own_entry_is_refused(client):
    t, made = await submitted(client)
    _problem(await client.post(f"/v1/reviews/{made['id']}/verify", json=VERIFY, headers=t.worker), 403)
    _problem(await client.post(f"/v1/reviews/{made['id']}/request-changes", json={"body": "x"}, headers=t.worker), 403)
    await _unchanged(client, t, made)
    self_review = await client.post(
        "/v1/reviews",
        json={"entry_id": t.entry["id"], "reviewer_id": t.worker_id, "organisation_id": t.organisation_id},
        headers=t.worker,
    )
    _problem(self_review, 422)
    assert self_review.json()["errors"][0]["field"] == "reviewer_id"


async def test_verifying_twice_is_refused(client):
    t, made = await submitted(client)
    first = (await client.post(f"/v1/reviews/{made['id']}/verify", json=VERIFY, headers=t.supervisor)).json()
    _problem(await client.post(f"/v1/reviews/{made['id']}/verify", json=VERIFY, headers=t.supervisor), 409)
    second = await client.post(
        "/v1/reviews",
        json={"entry_id": t.entry["id"], "reviewer_id": t.supervisor_id, "organisation_id": t.organisation_id},
        headers=t.worker,
    )
    _problem(await client.post(f"/v1/reviews/{second.json()['id']}/verify", json=VERIFY, headers=t.supervisor), 409)
    assert len((await client.get(f"/v1/evidence/{t.entry['id']}/verifications", headers=t.worker)).json()) == 1
    assert (await review(client, t.worker, made["id"]))["history"] == first["history"]


async def test_acting_on_a_revoked_share_is_refused(client):
    t, made = await submitted(client)
    share_id = (await client.get("/v1/shares", headers=t.worker)).json()[0]["id"]
    assert (await client.delete(f"/v1/shares/{share_id}", headers=t.worker)).status_code == 204
    _problem(await client.post(f"/v1/reviews/{made['id']}/verify", json=VERIFY, headers=t.supervisor), 403)
    _problem(
        await client.post(f"/v1/reviews/{made['id']}/comments", json={"body": "Still here?"}, headers=t.supervisor), 403
    )
    _problem(await client.get(f"/v1/reviews/{made['id']}", headers=t.supervisor), 403)
    await _closed_unverified(client, t, made)


async def test_a_supervisor_who_left_can_do_nothing_more(client):
    t, made = await submitted(client)
    assert (await client.post(f"/v1/organisations/{t.organisation_id}/leave", headers=t.supervisor)).status_code == 204
    _problem(await client.post(f"/v1/reviews/{made['id']}/verify", json=VERIFY, headers=t.supervisor), 403)
    _problem(
        await client.post(f"/v1/reviews/{made['id']}/request-changes", json={"body": "x"}, headers=t.supervisor), 403
    )
    await _closed_unverified(client, t, made)


async def test_only_shared_entries_are_submitted_and_once_per_reviewer(client):
    t, made = await submitted(client)
    unshared = await put_entry(client, t.worker)
    body = {"entry_id": unshared["id"], "reviewer_id": t.supervisor_id, "organisation_id": t.organisation_id}
    refused = await client.post("/v1/reviews", json=body, headers=t.worker)
    _problem(refused, 422)
    assert refused.json()["errors"][0]["field"] == "entry_id"
    _problem(await client.post("/v1/reviews", json={**body, "entry_id": t.entry["id"]}, headers=t.worker), 409)
    assert len((await client.get("/v1/reviews", headers=t.supervisor)).json()["items"]) == 1


async def test_the_queue_filters_and_pages(client):
    t, first = await submitted(client)
    second_entry = await put_entry(client, t.worker)
    await share(client, t.worker, t.organisation_id, supervisor_id=t.supervisor_id, entry_ids=[second_entry["id"]])
    second = (
        await client.post(
            "/v1/reviews",
            json={"entry_id": second_entry["id"], "reviewer_id": t.supervisor_id, "organisation_id": t.organisation_id},
            headers=t.worker,
        )
    ).json()
    page = (await client.get("/v1/reviews", params={"limit": 1}, headers=t.supervisor)).json()
    rest = (
        await client.get("/v1/reviews", params={"limit": 1, "cursor": page["next_cursor"]}, headers=t.supervisor)
    ).json()
    assert [page["items"][0]["id"], rest["items"][0]["id"]] == [first["id"], second["id"]]
    assert (await client.get("/v1/reviews", params={"worker_id": t.supervisor_id}, headers=t.supervisor)).json()[
        "items"
    ] == []
    assert (
        len((await client.get("/v1/reviews", params={"worker_id": t.worker_id}, headers=t.supervisor)).json()["items"])
        == 2
    )
    withdrawn = await client.post(f"/v1/reviews/{second['id']}/withdraw", headers=t.worker)
    assert withdrawn.json()["state"] == "withdrawn"
    assert len((await client.get("/v1/reviews", headers=t.supervisor)).json()["items"]) == 1


async def test_a_cursor_forged_with_an_out_of_range_time_is_a_400(client):
    t, _ = await submitted(client)
    for moment in ("9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"):
        cursor = encode_cursor(moment, str(uuid.uuid4()))
        _problem(await client.get("/v1/reviews", params={"cursor": cursor}, headers=t.supervisor), 400)
        _problem(await client.get("/v1/reviews/submitted", params={"cursor": cursor}, headers=t.worker), 400)
