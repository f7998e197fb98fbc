"""Issue 15, item 1: a review the supervisor can no longer act on leaves their queue, and their
notifications of it no longer name the entry."""

from __future__ import annotations

from tests.organisations.helpers import share
from tests.reviews.helpers import review, submitted


async def _queue(client, headers, **params) -> list[dict]:
    response = await client.get("/v1/reviews", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def _messages(client, headers) -> list[str]:
    response = await client.get("/v1/notifications", headers=headers)
    assert response.status_code == 200, response.text
    return [note["message"] for note in response.json()]


async def _open_reviews_in_team(client, headers) -> int:
    response = await client.get("/v1/team", headers=headers)
    assert response.status_code == 200, response.text
    return sum(member["open_reviews"] for member in response.json()["members"])


async def _closed(client, t, made, words: str = "an entry no longer shared with you") -> None:
    """Out of the queue and its count, closed with a step saying why, and the title out of the supervisor's notes."""
    assert await _queue(client, t.supervisor) == []
    assert await _open_reviews_in_team(client, t.supervisor) == 0
    [closed] = await _queue(client, t.supervisor, state="closed")
    assert closed["id"] == made["id"] and closed["entry_title"] == ""
    detail = await review(client, t.worker, made["id"])
    assert detail["state"] == "closed" and detail["history"][-1]["action"] == "closed"
    supervisor_notes = await _messages(client, t.supervisor)
    assert supervisor_notes and all(t.entry["title"] not in message for message in supervisor_notes)
    assert any(words in message for message in supervisor_notes)
    comment = await client.post(f"/v1/reviews/{made['id']}/comments", json={"body": "Still?"}, headers=t.worker)
    assert comment.status_code == 409, comment.text


async def test_the_queue_starts_with_the_review_and_its_count(client):
    t, made = await submitted(client)
    assert [item["id"] for item in await _queue(client, t.supervisor)] == [made["id"]]
    assert await _open_reviews_in_team(client, t.supervisor) == 1
    assert any(t.entry["title"] in message for message in await _messages(client, t.supervisor))


async def test_revoking_the_share_closes_the_review(client):
    t, made = await submitted(client)
    share_id = (await client.get("/v1/shares", headers=t.worker)).json()[0]["id"]
    assert (await client.delete(f"/v1/shares/{share_id}", headers=t.worker)).status_code == 204
    await _closed(client, t, made)
    again = await client.delete(f"/v1/shares/{share_id}", headers=t.worker)
    assert again.status_code == 204


async def test_revoking_one_of_two_shares_leaves_the_review_open(client):
    t, made = await submitted(client)
    first = (await client.get("/v1/shares", headers=t.worker)).json()[0]["id"]
    await share(client, t.worker, t.organisation_id, supervisor_id=t.supervisor_id, entry_ids=[t.entry["id"]])
    assert (await client.delete(f"/v1/shares/{first}", headers=t.worker)).status_code == 204
    assert [item["id"] for item in await _queue(client, t.supervisor)] == [made["id"]]
    assert any(t.entry["title"] in message for message in await _messages(client, t.supervisor))


async def test_ending_the_supervision_link_closes_the_review(client):
    t, made = await submitted(client)
    links = (await client.get(f"/v1/organisations/{t.organisation_id}/supervision-links", headers=t.admin)).json()
    ended = await client.delete(
        f"/v1/organisations/{t.organisation_id}/supervision-links/{links[0]['id']}", headers=t.admin
    )
    assert ended.status_code == 204, ended.text
    await _closed(client, t, made)


async def test_the_supervisor_leaving_closes_the_review(client):
    t, made = await submitted(client)
    assert (await client.post(f"/v1/organisations/{t.organisation_id}/leave", headers=t.supervisor)).status_code == 204
    detail = await review(client, t.worker, made["id"])
    assert detail["state"] == "closed"
    assert all(t.entry["title"] not in message for message in await _messages(client, t.supervisor))


async def test_deleting_the_entry_closes_the_review_and_forgets_its_title(client):
    t, made = await submitted(client)
    deleted = await client.delete(f"/v1/evidence/{t.entry['id']}", headers=t.worker)
    assert deleted.status_code == 204, deleted.text
    await _closed(client, t, made, "a deleted entry")
    [mine] = (await client.get("/v1/reviews/submitted", headers=t.worker)).json()["items"]
    assert mine["state"] == "closed" and mine["entry_title"] == ""
    for headers in (t.worker, t.supervisor):
        assert all(t.entry["title"] not in message for message in await _messages(client, headers))


async def test_a_verified_review_unshared_keeps_its_state_but_not_the_title(client):
    t, made = await submitted(client)
    verify = {"statement": "I confirm it.", "role": "Ward manager"}
    assert (await client.post(f"/v1/reviews/{made['id']}/verify", json=verify, headers=t.supervisor)).status_code == 200
    share_id = (await client.get("/v1/shares", headers=t.worker)).json()[0]["id"]
    assert (await client.delete(f"/v1/shares/{share_id}", headers=t.worker)).status_code == 204
    assert (await review(client, t.worker, made["id"]))["state"] == "verified"
    assert all(t.entry["title"] not in message for message in await _messages(client, t.supervisor))


async def test_an_organisation_share_revoked_closes_only_where_nothing_else_shares(client):
    t, made = await submitted(client)
    await share(client, t.worker, t.organisation_id, entry_ids=[t.entry["id"]])
    organisation_share = (await client.get("/v1/shares", headers=t.worker)).json()[-1]["id"]
    assert (await client.delete(f"/v1/shares/{organisation_share}", headers=t.worker)).status_code == 204
    assert [item["id"] for item in await _queue(client, t.supervisor)] == [made["id"]]


async def test_a_verification_going_stale_notifies_both_sides_once(client):
    t, made = await submitted(client)
    verify = {"statement": "I confirm it.", "role": "Ward manager"}
    assert (await client.post(f"/v1/reviews/{made['id']}/verify", json=verify, headers=t.supervisor)).status_code == 200

    async def stale_notes(headers) -> list[dict]:
        notes = (await client.get("/v1/notifications", headers=headers)).json()
        return [note for note in notes if note["kind"] == "verification_stale"]

    for version in (1, 2):
        edited = await client.patch(
            f"/v1/evidence/{t.entry['id']}",
            json={"description": f"Rewritten, take {version}."},
            headers={**t.worker, "If-Match": f'"{version}"'},
        )
        assert edited.status_code == 200, edited.text
    for headers in (t.worker, t.supervisor):
        [note] = await stale_notes(headers)
        assert note["review_id"] == made["id"] and t.entry["title"] in note["message"]


async def test_a_verification_is_bound_to_what_the_verifier_saw(client):
    t, made = await submitted(client)
    shown = (await client.get(f"/v1/shared/evidence/{t.entry['id']}", headers=t.supervisor)).json()
    seen = {"entry": shown["content_hash"], "attachments": [item["sha256"] for item in shown["attachments"]]}
    edited = await client.patch(
        f"/v1/evidence/{t.entry['id']}",
        json={"description": "Changed meanwhile."},
        headers={**t.worker, "If-Match": '"1"'},
    )
    assert edited.status_code == 200, edited.text
    verify = {"statement": "I confirm it.", "role": "Ward manager", "seen": seen}
    refused = await client.post(f"/v1/reviews/{made['id']}/verify", json=verify, headers=t.supervisor)
    assert refused.status_code == 409, refused.text
    assert (await review(client, t.worker, made["id"]))["verifications"] == []
    shown = (await client.get(f"/v1/shared/evidence/{t.entry['id']}", headers=t.supervisor)).json()
    verify["seen"] = {"entry": shown["content_hash"], "attachments": []}
    verified = await client.post(f"/v1/reviews/{made['id']}/verify", json=verify, headers=t.supervisor)
    assert verified.status_code == 200, verified.text
    bad = await client.post(
        f"/v1/reviews/{made['id']}/verify", json={**verify, "seen": {"entry": "not a hash"}}, headers=t.supervisor
    )
    assert bad.status_code == 422, bad.text
