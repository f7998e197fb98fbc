"""Sharing: private by default, chosen entries or filters read when viewed, revocable, read-only."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from tests.factories import entry_body, put_entry
from tests.organisations.helpers import account, join, share, team


def _day(days_ago: int) -> str:
    return (date.today() - timedelta(days=days_ago)).isoformat()


async def _visible(client, viewer, entry_id) -> bool:
    response = await client.get(f"/v1/shared/evidence/{entry_id}", headers=viewer)
    assert response.status_code in (200, 404), response.text
    return response.status_code == 200


async def test_nothing_is_visible_until_shared(client):
    t = await team(client)
    assert (await client.get("/v1/shared/workers", headers=t.supervisor)).json() == []
    assert not await _visible(client, t.supervisor, t.entry["id"])
    missing = await client.get(f"/v1/shared/evidence/{uuid.uuid4()}", headers=t.supervisor)
    assert (
        missing.status_code == 404
        and missing.json()["detail"]
        == (await client.get(f"/v1/shared/evidence/{t.entry['id']}", headers=t.supervisor)).json()["detail"]
    )
    assert (await client.get(f"/v1/shared/workers/{t.worker_id}/evidence", headers=t.supervisor)).status_code == 404


async def test_chosen_entries_only(client):
    t = await team(client)
    other = await put_entry(client, t.worker)
    await share(client, t.worker, t.organisation_id, supervisor_id=t.supervisor_id, entry_ids=[t.entry["id"]])
    assert await _visible(client, t.supervisor, t.entry["id"])
    assert not await _visible(client, t.supervisor, other["id"])
    assert not await _visible(client, t.admin, t.entry["id"])  # shared with the supervisor, not the organisation
    page = (await client.get(f"/v1/shared/workers/{t.worker_id}/evidence", headers=t.supervisor)).json()
    assert [item["id"] for item in page["items"]] == [t.entry["id"]]
    workers = (await client.get("/v1/shared/workers", headers=t.supervisor)).json()
    assert [(w["worker_id"], w["display_name"]) for w in workers] == [(t.worker_id, "Wren Worker")]


async def test_a_period_filter_covers_entries_logged_later(client):
    t = await team(client)
    old = await put_entry(client, t.worker, occurred_on=_day(400))
    await share(client, t.worker, t.organisation_id, supervisor_id=t.supervisor_id, filter={"from": _day(30)})
    later = await put_entry(client, t.worker, occurred_on=_day(1))
    assert await _visible(client, t.supervisor, t.entry["id"]) and await _visible(client, t.supervisor, later["id"])
    assert not await _visible(client, t.supervisor, old["id"])
    page = (
        await client.get(f"/v1/shared/workers/{t.worker_id}/evidence", params={"limit": 1}, headers=t.supervisor)
    ).json()
    rest = (
        await client.get(
            f"/v1/shared/workers/{t.worker_id}/evidence",
            params={"limit": 1, "cursor": page["next_cursor"]},
            headers=t.supervisor,
        )
    ).json()
    assert [page["items"][0]["id"], rest["items"][0]["id"]] == [later["id"], t.entry["id"]] and rest[
        "next_cursor"
    ] is None


async def test_a_framework_filter_covers_linked_entries(client):
    t = await team(client)
    unlinked = await put_entry(client, t.worker)
    framework = (await client.get("/v1/frameworks", headers=t.worker)).json()[0]
    tree = (await client.get(f"/v1/frameworks/{framework['id']}", headers=t.worker)).json()
    item = tree["items"][0]["id"]
    linked = await client.put(
        f"/v1/evidence/{t.entry['id']}/competences", json={"links": [{"item_id": item}]}, headers=t.worker
    )
    assert linked.status_code == 200, linked.text
    await share(
        client, t.worker, t.organisation_id, supervisor_id=t.supervisor_id, filter={"framework_id": framework["id"]}
    )
    assert await _visible(client, t.supervisor, t.entry["id"]) and not await _visible(
        client, t.supervisor, unlinked["id"]
    )
    shown = (await client.get(f"/v1/shared/evidence/{t.entry['id']}", headers=t.supervisor)).json()
    assert [link["item"]["id"] for link in shown["competence_links"]] == [item]


async def test_a_registration_filter_covers_its_cycle(client):
    t = await team(client)
    before = await put_entry(client, t.worker, occurred_on=_day(800))
    registration = str(uuid.uuid4())
    body = {
        "register": "hcpc",
        "registration_number": "PA1",
        "part": "paramedic",
        "cycle_start": _day(365),
        "renewal_date": _day(-365),
    }
    assert (await client.put(f"/v1/me/registrations/{registration}", json=body, headers=t.worker)).status_code == 201
    await share(client, t.worker, t.organisation_id, filter={"registration_id": registration})
    assert await _visible(client, t.admin, t.entry["id"]) and not await _visible(client, t.admin, before["id"])
    assert (await client.delete(f"/v1/me/registrations/{registration}", headers=t.worker)).status_code == 204
    assert not await _visible(client, t.admin, t.entry["id"])


async def test_an_organisation_share_is_for_its_admins_supervisors_and_auditors_not_its_workers(client):
    t = await team(client)
    colleague, _ = await account(client, "Colleague")
    await join(client, t.admin, t.organisation_id, colleague, "worker")
    await share(client, t.worker, t.organisation_id, filter={})
    assert await _visible(client, t.admin, t.entry["id"]) and await _visible(client, t.supervisor, t.entry["id"])
    assert not await _visible(client, colleague, t.entry["id"])


async def test_revoking_is_immediate_and_shared_means_read_only(client):
    t = await team(client)
    made = await share(client, t.worker, t.organisation_id, supervisor_id=t.supervisor_id, filter={})
    changed = await client.put(
        f"/v1/evidence/{t.entry['id']}", json=entry_body(title="Rewritten"), headers={**t.supervisor, "If-Match": '"1"'}
    )
    assert changed.status_code == 404
    assert (await client.delete(f"/v1/evidence/{t.entry['id']}", headers=t.supervisor)).status_code == 404
    assert (await client.get(f"/v1/evidence/{t.entry['id']}", headers=t.worker)).json()["title"] == t.entry["title"]
    assert (await client.delete(f"/v1/shares/{made['id']}", headers=t.supervisor)).status_code == 404
    assert (await client.delete(f"/v1/shares/{made['id']}", headers=t.worker)).status_code == 204
    assert not await _visible(client, t.supervisor, t.entry["id"])
    assert (await client.get(f"/v1/shares/{made['id']}", headers=t.worker)).json()["end_reason"] == "revoked"


async def test_deleted_entries_are_never_visible(client):
    t = await team(client)
    await share(client, t.worker, t.organisation_id, supervisor_id=t.supervisor_id, entry_ids=[t.entry["id"]])
    assert (await client.delete(f"/v1/evidence/{t.entry['id']}", headers=t.worker)).status_code == 204
    assert not await _visible(client, t.supervisor, t.entry["id"])


async def test_sharing_with_a_stranger_is_refused_and_nothing_is_shared(client):
    t = await team(client)
    stranger, stranger_me = await account(client, "Stranger")
    attempts = [
        ({"organisation_id": t.organisation_id, "supervisor_id": stranger_me["id"], "filter": {}}, "supervisor_id"),
        ({"organisation_id": str(uuid.uuid4()), "filter": {}}, "organisation_id"),
        ({"organisation_id": t.organisation_id, "entry_ids": [str(uuid.uuid4())]}, "entry_ids.0"),
        (
            {"organisation_id": t.organisation_id, "filter": {"registration_id": str(uuid.uuid4())}},
            "filter.registration_id",
        ),
        ({"organisation_id": t.organisation_id}, "body"),
    ]
    for body, field in attempts:
        response = await client.post("/v1/shares", json=body, headers=t.worker)
        assert response.status_code == 422, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        if field != "body":
            assert response.json()["errors"][0]["field"] == field
    assert (await client.get("/v1/shares", headers=t.worker)).json() == []
    assert (await client.get("/v1/shared/workers", headers=stranger)).json() == []


async def test_ending_supervision_ends_the_share(client):
    t = await team(client)
    made = await share(client, t.worker, t.organisation_id, supervisor_id=t.supervisor_id, filter={})
    link = (await client.get("/v1/me/supervision", headers=t.worker)).json()[0]["id"]
    assert (
        await client.delete(f"/v1/organisations/{t.organisation_id}/supervision-links/{link}", headers=t.admin)
    ).status_code == 204
    assert not await _visible(client, t.supervisor, t.entry["id"])
    assert (await client.get(f"/v1/shares/{made['id']}", headers=t.worker)).json()["end_reason"] == "supervision_ended"


async def test_a_cursor_not_given_out_is_refused(client):
    t = await team(client)
    await share(client, t.worker, t.organisation_id, supervisor_id=t.supervisor_id, filter={})
    for cursor in ("not-base64!", "WyJ4Il0", "WyJ4IiwgInkiXQ"):
        response = await client.get(
            f"/v1/shared/workers/{t.worker_id}/evidence", params={"cursor": cursor}, headers=t.supervisor
        )
        assert response.status_code == 400 and response.headers["content-type"].startswith("application/problem+json")
    assert (
        await client.get("/v1/reviews", params={"cursor": "WyJ4IiwgInkiXQ"}, headers=t.supervisor)
    ).status_code == 400
