"""Organisation admins and reviewers act only from a session opened with a second factor (issue 14, item 3).

Without one they still sign in, read, and enrol; their administering and reviewing answer 403 with
the problem type ``urn:cpl:problem:second-factor-required``. Workers are never asked for one.
"""

from __future__ import annotations

from tests.accounts.second_factor_helpers import bearer, login, second_step, step_code
from tests.factories import PASSWORD, enrol_second_factor, put_entry, sign_up
from tests.organisations.helpers import share

REQUIRED = "urn:cpl:problem:second-factor-required"


def refused_for_second_factor(response) -> bool:
    body = response.json()
    return response.status_code == 403 and body["type"] == REQUIRED and body["title"] == "Second factor required"


async def _me(client, headers) -> dict:
    return (await client.get("/v1/me", headers=headers)).json()


async def _join_without_second_factor(client, admin, organisation_id, member, role) -> None:
    email = (await _me(client, member))["email"]
    invited = await client.post(
        f"/v1/organisations/{organisation_id}/invitations", json={"email": email, "role": role}, headers=admin
    )
    assert invited.status_code == 201, invited.text
    accepted = await client.post(f"/v1/invitations/{invited.json()['id']}/accept", headers=member)
    assert accepted.status_code == 200, accepted.text


async def test_an_admin_without_a_second_factor_signs_in_and_enrols_but_does_not_administer(client):
    admin = await sign_up(client, email="ada@example.org")
    created = await client.post("/v1/organisations", json={"name": "Riverside", "kind": "employer"}, headers=admin)
    assert created.status_code == 201, "creating an organisation needs no second factor"
    organisation = created.json()["id"]
    worker = await sign_up(client, email="wren@example.org")
    worker_id = (await _me(client, worker))["id"]
    base = f"/v1/organisations/{organisation}"

    calls = [
        ("GET", f"{base}/members", None),
        ("GET", f"{base}/invitations", None),
        ("POST", f"{base}/invitations", {"email": "wren@example.org", "role": "worker"}),
        ("GET", f"{base}/supervision-links", None),
        ("POST", f"{base}/supervision-links", {"supervisor_id": worker_id, "worker_id": worker_id}),
        ("DELETE", f"{base}/members/{worker_id}", None),
        ("DELETE", f"{base}/supervision-links/{worker_id}", None),
    ]
    for method, path, body in calls:
        response = await client.request(method, path, json=body, headers=admin)
        assert refused_for_second_factor(response), (method, path, response.status_code, response.text)
    assert (await client.get(f"{base}", headers=admin)).status_code == 200, "reading the organisation is fine"
    assert (await client.get("/v1/invitations", headers=worker)).json() == [], "nothing was invited"

    other_session = bearer(await login(client, "ada@example.org"))
    secret = (await client.post("/v1/me/second-factor", headers=admin)).json()["secret"]
    confirmed = await client.post("/v1/me/second-factor/confirm", json={"code": step_code(secret, 0)}, headers=admin)
    recovery_code = confirmed.json()["recovery_codes"][0]
    assert (await client.get(f"{base}/members", headers=admin)).status_code == 200
    invited = await client.post(
        f"{base}/invitations", json={"email": "wren@example.org", "role": "worker"}, headers=admin
    )
    assert invited.status_code == 201

    stale = await client.get(f"{base}/members", headers=other_session)
    assert refused_for_second_factor(stale), "a session opened with the password alone does not count"
    assert "sign in again" in stale.json()["detail"]
    challenge = (await login(client, "ada@example.org")).json()["challenge"]
    with_code = bearer(await second_step(client, challenge, code=step_code(secret, 1)))
    assert (await client.get(f"{base}/members", headers=with_code)).status_code == 200

    turned_off = await client.post(
        "/v1/me/second-factor/disable",
        json={"password": PASSWORD, "recovery_code": recovery_code},
        headers=admin,
    )
    assert turned_off.status_code == 204
    for headers in (admin, with_code):
        assert refused_for_second_factor(await client.get(f"{base}/members", headers=headers))


async def test_a_worker_is_never_asked_for_a_second_factor(client):
    admin = await sign_up(client)
    organisation = (
        await client.post("/v1/organisations", json={"name": "Hillside", "kind": "employer"}, headers=admin)
    ).json()["id"]
    await enrol_second_factor(client, admin)
    worker = await sign_up(client)
    await _join_without_second_factor(client, admin, organisation, worker, "worker")
    members = await client.get(f"/v1/organisations/{organisation}/members", headers=worker)
    assert members.status_code == 403 and members.json()["type"] == "about:blank"
    entry = await put_entry(client, worker)
    assert (await client.get(f"/v1/evidence/{entry['id']}", headers=worker)).status_code == 200


async def test_a_reviewer_without_a_second_factor_may_not_verify_or_ask_for_changes(client):
    admin = await sign_up(client)
    organisation = (
        await client.post("/v1/organisations", json={"name": "Lakeside", "kind": "employer"}, headers=admin)
    ).json()["id"]
    await enrol_second_factor(client, admin)
    supervisor, worker = await sign_up(client), await sign_up(client)
    await _join_without_second_factor(client, admin, organisation, supervisor, "supervisor")
    await _join_without_second_factor(client, admin, organisation, worker, "worker")
    supervisor_id, worker_id = (await _me(client, supervisor))["id"], (await _me(client, worker))["id"]
    linked = await client.post(
        f"/v1/organisations/{organisation}/supervision-links",
        json={"supervisor_id": supervisor_id, "worker_id": worker_id},
        headers=admin,
    )
    assert linked.status_code == 201
    entry = await put_entry(client, worker)
    await share(client, worker, organisation, supervisor_id=supervisor_id, entry_ids=[entry["id"]])
    submitted = await client.post(
        "/v1/reviews",
        json={"entry_id": entry["id"], "reviewer_id": supervisor_id, "organisation_id": organisation},
        headers=worker,
    )
    assert submitted.status_code == 201
    review = f"/v1/reviews/{submitted.json()['id']}"

    verify = await client.post(f"{review}/verify", json={"statement": "I confirm this."}, headers=supervisor)
    assert refused_for_second_factor(verify)
    changes = await client.post(f"{review}/request-changes", json={"body": "More detail."}, headers=supervisor)
    assert refused_for_second_factor(changes)
    assert (await client.get(review, headers=supervisor)).json()["state"] == "submitted", "nothing changed"
    assert (
        await client.post(f"{review}/comments", json={"body": "Reading it."}, headers=supervisor)
    ).status_code == 200
    own = await client.post(f"{review}/verify", json={"statement": "Mine."}, headers=worker)
    assert own.status_code == 403 and own.json()["type"] == "about:blank", "the worker is refused as before"

    await enrol_second_factor(client, supervisor)
    verified = await client.post(f"{review}/verify", json={"statement": "I confirm this."}, headers=supervisor)
    assert verified.status_code == 200 and verified.json()["state"] == "verified"
