"""Issue 15, item 2 ("members and roles"): an admin changes a current member's roles through
``PUT /v1/organisations/{id}/members/{account_id}/roles``; the organisation keeps an admin; a
supervisor's role taken away ends their links, shares and open reviews as an ended link does."""

from __future__ import annotations

import pytest

from cpl.audit.repository import filtered
from tests.organisations.helpers import account, join, organisation, team
from tests.reviews.helpers import review, submitted


def _roles_path(organisation_id: str, account_id: str) -> str:
    return f"/v1/organisations/{organisation_id}/members/{account_id}/roles"


async def _current_roles(client, admin, organisation_id: str, account_id: str) -> list[str]:
    members = (await client.get(f"/v1/organisations/{organisation_id}/members", headers=admin)).json()
    return sorted(m["role"] for m in members if m["account_id"] == account_id and m["left_at"] is None)


async def test_an_admin_gives_and_takes_roles_and_the_change_is_audited(client):
    t = await team(client)
    path = _roles_path(t.organisation_id, t.worker_id)
    changed = await client.put(path, json={"roles": ["worker", "supervisor"]}, headers=t.admin)
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["roles"], body["added"], body["removed"]) == (["supervisor", "worker"], ["supervisor"], [])
    assert body["display_name"] == "Wren Worker"
    mine = (await client.get(f"/v1/organisations/{t.organisation_id}", headers=t.worker)).json()
    assert mine["my_roles"] == ["supervisor", "worker"]
    again = await client.put(path, json={"roles": ["supervisor", "worker"]}, headers=t.admin)
    assert again.status_code == 200 and (again.json()["added"], again.json()["removed"]) == ([], [])
    [event] = await filtered(action="member.roles_changed")
    assert str(event["subject"]) == t.worker_id and event["object"] == f"organisation:{t.organisation_id}"
    assert '"added": "supervisor"' in event["detail"]
    # The worker role ends: the link supervising them ends with it (the history keeps the old row).
    taken = await client.put(path, json={"roles": ["supervisor"]}, headers=t.admin)
    assert taken.status_code == 200 and taken.json()["removed"] == ["worker"]
    links = (await client.get(f"/v1/organisations/{t.organisation_id}/supervision-links", headers=t.admin)).json()
    assert [link["ended_at"] is not None for link in links] == [True]
    members = (await client.get(f"/v1/organisations/{t.organisation_id}/members", headers=t.admin)).json()
    worker_rows = [(m["role"], m["left_at"] is None) for m in members if m["account_id"] == t.worker_id]
    assert sorted(worker_rows) == [("supervisor", True), ("worker", False)]


async def test_taking_the_supervisor_role_closes_their_reviews_and_ends_their_links_and_shares(client):
    t, made = await submitted(client)
    changed = await client.put(
        _roles_path(t.organisation_id, t.supervisor_id), json={"roles": ["worker"]}, headers=t.admin
    )
    assert changed.status_code == 200, changed.text
    assert (await client.get("/v1/reviews", headers=t.supervisor)).json()["items"] == []
    detail = await review(client, t.worker, made["id"])
    assert detail["state"] == "closed" and detail["history"][-1]["action"] == "closed"
    [shared] = (await client.get("/v1/shares", headers=t.worker)).json()
    assert shared["end_reason"] == "supervision_ended" and shared["ended_at"]
    assert (await client.get("/v1/me/supervision", headers=t.supervisor)).json() == []
    assert (await client.get(f"/v1/shared/evidence/{t.entry['id']}", headers=t.supervisor)).status_code == 404


async def test_the_last_admin_keeps_the_admin_role(client):
    admin, admin_me = await account(client, "Ada Admin")
    org = await organisation(client, admin)
    path = _roles_path(org, admin_me["id"])
    refused = await client.put(path, json={"roles": ["worker"]}, headers=admin)
    assert refused.status_code == 409 and refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["type"] == "urn:cpl:problem:last-admin"
    assert "only admin" in refused.json()["detail"]
    assert await _current_roles(client, admin, org, admin_me["id"]) == ["admin"]
    second, second_me = await account(client, "Bea Admin")
    await join(client, admin, org, second, "admin")
    stepped_down = await client.put(path, json={"roles": ["worker", "supervisor"]}, headers=admin)
    assert stepped_down.status_code == 200, stepped_down.text
    # No longer an admin: the next change is refused to them, and the other admin is now the last.
    assert (await client.put(path, json={"roles": ["admin"]}, headers=admin)).status_code == 403
    last = await client.put(_roles_path(org, second_me["id"]), json={"roles": ["worker"]}, headers=second)
    assert last.status_code == 409


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"roles": []}, 422, "roles"),
        ({"roles": ["owner"]}, 422, "roles.0"),
        ({"roles": ["worker", "auditor"]}, 422, "roles"),
        ({}, 422, "roles"),
        ({"roles": ["worker"], "note": "x"}, 422, "note"),
    ],
)
async def test_bad_roles_are_refused_and_change_nothing(client, body, status, field):
    t = await team(client)
    answer = await client.put(_roles_path(t.organisation_id, t.worker_id), json=body, headers=t.admin)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert field in [error["field"] for error in answer.json()["errors"]]
    assert await _current_roles(client, t.admin, t.organisation_id, t.worker_id) == ["worker"]


async def test_only_a_current_member_has_roles_changed_and_only_by_an_admin(client):
    t = await team(client)
    stranger, stranger_me = await account(client, "Stan Stranger")
    not_member = await client.put(
        _roles_path(t.organisation_id, stranger_me["id"]), json={"roles": ["worker"]}, headers=t.admin
    )
    assert not_member.status_code == 404, not_member.text
    removed = await client.delete(f"/v1/organisations/{t.organisation_id}/members/{t.worker_id}", headers=t.admin)
    assert removed.status_code == 204
    gone = await client.put(_roles_path(t.organisation_id, t.worker_id), json={"roles": ["worker"]}, headers=t.admin)
    assert gone.status_code == 404
    path = _roles_path(t.organisation_id, t.supervisor_id)
    assert (await client.put(path, json={"roles": ["admin"]}, headers=t.supervisor)).status_code == 403
    assert (await client.put(path, json={"roles": ["admin"]}, headers=stranger)).status_code == 404
    assert await _current_roles(client, t.admin, t.organisation_id, t.supervisor_id) == ["supervisor"]
