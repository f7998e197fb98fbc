"""Organisations, invitations, memberships and supervision links, through the API."""

from __future__ import annotations

import asyncio

from tests.factories import put_entry
from tests.organisations.helpers import account, join, organisation, share, team


async def test_the_creator_is_the_admin_and_others_join_by_invitation(client):
    admin, _ = await account(client, "Ada")
    invitee, invitee_me = await account(client, "Ivo")
    org = await organisation(client, admin)
    assert (await client.get("/v1/organisations", headers=admin)).json()[0]["my_roles"] == ["admin"]
    assert (await client.get(f"/v1/organisations/{org}", headers=invitee)).status_code == 404
    sent = await client.post(
        f"/v1/organisations/{org}/invitations",
        json={"email": invitee_me["email"].upper(), "role": "supervisor"},
        headers=admin,
    )
    assert sent.status_code == 201 and sent.json()["email"] == invitee_me["email"]
    pending = (await client.get("/v1/invitations", headers=invitee)).json()
    assert [item["id"] for item in pending] == [sent.json()["id"]]
    assert (await client.get("/v1/invitations", headers=admin)).json() == []
    assert (await client.post(f"/v1/invitations/{sent.json()['id']}/accept", headers=admin)).status_code == 404
    assert (await client.post(f"/v1/invitations/{sent.json()['id']}/accept", headers=invitee)).status_code == 200
    again = await client.post(f"/v1/invitations/{sent.json()['id']}/accept", headers=invitee)
    assert again.status_code == 409 and again.headers["content-type"].startswith("application/problem+json")
    mine = (await client.get(f"/v1/organisations/{org}", headers=invitee)).json()
    assert mine["my_roles"] == ["supervisor"]
    members = (await client.get(f"/v1/organisations/{org}/members", headers=admin)).json()
    assert sorted(member["role"] for member in members) == ["admin", "supervisor"]
    assert (await client.get(f"/v1/organisations/{org}/members", headers=invitee)).status_code == 403


async def test_roles_must_suit_the_organisation(client):
    admin, _ = await account(client, "Ada")
    employer = await organisation(client, admin)
    regulator = await organisation(client, admin, kind="regulator", name="Regulator")
    wrong = await client.post(
        f"/v1/organisations/{employer}/invitations", json={"email": "a@example.org", "role": "auditor"}, headers=admin
    )
    assert wrong.status_code == 422 and wrong.json()["errors"] == [
        {"field": "role", "message": "an employer has no auditor role; use one of admin, supervisor, worker"}
    ]
    wrong = await client.post(
        f"/v1/organisations/{regulator}/invitations",
        json={"email": "a@example.org", "role": "supervisor"},
        headers=admin,
    )
    assert wrong.status_code == 422 and wrong.json()["errors"] == [
        {"field": "role", "message": "a regulator has no supervisor role; use one of admin, auditor, worker"}
    ]
    assert (await client.get(f"/v1/organisations/{employer}/invitations", headers=admin)).json() == []
    # The API document says which roles each kind has.
    document = (await client.get("/schema/openapi.json")).json()
    role = document["components"]["schemas"]["InvitationIn"]["properties"]["role"]
    assert role["description"] == (
        "The role to join in, one the organisation's kind has: "
        "employer: admin, supervisor, worker; regulator: admin, auditor, worker"
    )


async def test_a_declined_invitation_grants_nothing(client):
    admin, _ = await account(client, "Ada")
    invitee, me = await account(client, "Ivo")
    org = await organisation(client, admin)
    sent = (
        await client.post(
            f"/v1/organisations/{org}/invitations", json={"email": me["email"], "role": "worker"}, headers=admin
        )
    ).json()
    assert (await client.post(f"/v1/invitations/{sent['id']}/decline", headers=invitee)).status_code == 204
    assert (await client.post(f"/v1/invitations/{sent['id']}/accept", headers=invitee)).status_code == 409
    assert (await client.get(f"/v1/organisations/{org}", headers=invitee)).status_code == 404


async def test_supervision_links_join_a_supervisor_to_a_worker_of_the_organisation(client):
    t = await team(client)
    links = (await client.get("/v1/me/supervision", headers=t.worker)).json()
    assert [(link["supervisor_id"], link["worker_id"]) for link in links] == [(t.supervisor_id, t.worker_id)]
    path = f"/v1/organisations/{t.organisation_id}/supervision-links"
    twice = await client.post(path, json={"supervisor_id": t.supervisor_id, "worker_id": t.worker_id}, headers=t.admin)
    assert twice.status_code == 409
    reversed_roles = await client.post(
        path, json={"supervisor_id": t.worker_id, "worker_id": t.supervisor_id}, headers=t.admin
    )
    assert reversed_roles.status_code == 422 and reversed_roles.json()["errors"][0]["field"] == "supervisor_id"
    self_link = await client.post(
        path, json={"supervisor_id": t.supervisor_id, "worker_id": t.supervisor_id}, headers=t.admin
    )
    assert self_link.status_code == 422
    assert len((await client.get(path, headers=t.admin)).json()) == 1


async def test_a_worker_belongs_to_several_employers_and_keeps_the_record_on_leaving_one(client):
    t = await team(client)
    second_admin, _ = await account(client, "Bea")
    second = await organisation(client, second_admin, name="Second employer")
    await join(client, second_admin, second, t.worker, "worker")
    orgs = (await client.get("/v1/organisations", headers=t.worker)).json()
    assert {org["id"] for org in orgs} == {t.organisation_id, second}
    first_share = await share(client, t.worker, t.organisation_id, filter={})
    second_share = await share(client, t.worker, second, filter={})
    assert (await client.post(f"/v1/organisations/{t.organisation_id}/leave", headers=t.worker)).status_code == 204
    assert [org["id"] for org in (await client.get("/v1/organisations", headers=t.worker)).json()] == [second]
    assert (await client.get(f"/v1/evidence/{t.entry['id']}", headers=t.worker)).status_code == 200
    shares = {item["id"]: item for item in (await client.get("/v1/shares", headers=t.worker)).json()}
    assert shares[first_share["id"]]["end_reason"] == "worker_left" and shares[first_share["id"]]["ended_at"]
    assert shares[second_share["id"]]["ended_at"] is None
    assert (await client.get("/v1/me/supervision", headers=t.worker)).json() == []
    assert (await client.get(f"/v1/shared/evidence/{t.entry['id']}", headers=t.admin)).status_code == 404
    assert (await client.get(f"/v1/shared/evidence/{t.entry['id']}", headers=second_admin)).status_code == 200


async def test_an_admin_removes_a_member_and_the_last_admin_cannot_leave(client):
    t = await team(client)
    await put_entry(client, t.worker)
    removed = await client.delete(f"/v1/organisations/{t.organisation_id}/members/{t.supervisor_id}", headers=t.admin)
    assert removed.status_code == 204
    assert (await client.get(f"/v1/organisations/{t.organisation_id}", headers=t.supervisor)).status_code == 404
    assert (await client.get(f"/v1/organisations/{t.organisation_id}/supervision-links", headers=t.admin)).json()[0][
        "ended_at"
    ]
    left = await client.post(f"/v1/organisations/{t.organisation_id}/leave", headers=t.admin)
    assert left.status_code == 403
    assert (await client.get(f"/v1/organisations/{t.organisation_id}", headers=t.admin)).json()["my_roles"] == ["admin"]


async def test_two_admins_leaving_at_once_leave_one_behind(client):
    first, _ = await account(client, "Ada")
    org = await organisation(client, first)
    second, _ = await account(client, "Bea")
    await join(client, first, org, second, "admin")
    for _ in range(3):  # a race depends on timing: run it a few times
        answers = await asyncio.gather(
            *(client.post(f"/v1/organisations/{org}/leave", headers=h) for h in (first, second))
        )
        assert sorted(answer.status_code for answer in answers) == [204, 403], [answer.text for answer in answers]
        stayed, gone = (first, second) if answers[0].status_code == 403 else (second, first)
        members = (await client.get(f"/v1/organisations/{org}/members", headers=stayed)).json()
        assert [m["role"] for m in members if m["role"] == "admin" and m["left_at"] is None] == ["admin"]
        await join(client, stayed, org, gone, "admin")
