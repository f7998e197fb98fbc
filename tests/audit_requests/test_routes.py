"""Audit requests through the API (issue 15, item 3): asking, answering, opening, outcomes, e-mail."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from cpl.audit_requests.tables import AuditRequest
from tests.audit_requests.helpers import REGISTRATION, answer, ask, finished_export, regulator, request_body
from tests.factories import confirm_address, sign_up
from tests.mailbox import body_of, last_mail_to, mails_to
from tests.organisations.helpers import account


async def _worker(client):
    headers, me = await account(client, "Wren Worker")
    registration = str(uuid.uuid4())
    made = await client.put(f"/v1/me/registrations/{registration}", json=REGISTRATION, headers=headers)
    assert made.status_code == 201, made.text
    return headers, me["email"], registration


async def _notifications(client, headers) -> list[dict]:
    return (await client.get("/v1/notifications", headers=headers)).json()


async def test_the_whole_exchange_with_mail_and_notifications(client):
    reg = await regulator(client)
    worker, email, registration = await _worker(client)
    asked = await ask(client, reg, email)
    assert asked["state"] == "requested" and asked["overdue"] is False and asked["response"] is None
    assert asked["organisation_standing"] == "self-declared organisation"
    assert "Health Regulator asks for your HCPC record" in body_of(last_mail_to(client.mailbox, email))
    assert (await _notifications(client, worker))[0]["kind"] == "audit_requested"

    mine = (await client.get("/v1/me/audit-requests", headers=worker)).json()
    assert [item["id"] for item in mine] == [asked["id"]]
    export_id = await finished_export(client, worker, {"registration_id": registration})
    answered = await answer(client, worker, asked["id"], export_id, "Here it is.")
    assert answered.status_code == 200, answered.text
    assert answered.json()["state"] == "responded" and answered.json()["export_id"] == export_id
    assert "answered your HCPC audit request" in body_of(last_mail_to(client.mailbox, reg.auditor_email))

    seen = (await client.get(f"/v1/audit-requests/{asked['id']}", headers=reg.auditor)).json()
    response = seen["response"]
    assert response["export_id"] == export_id and response["format"] == "json"
    token = response["share_url"].rsplit("/shared/", 1)[1]
    assert (await client.get(f"/shared/{token}", headers={"Accept": "application/json"})).status_code == 403
    opened = await client.get(f"/shared/{token}", headers={"X-Share-Passcode": response["passcode"]})
    assert opened.status_code == 200
    # The same link and passcode every time the auditor looks (derived, not kept).
    again = (await client.get(f"/v1/audit-requests/{asked['id']}", headers=reg.auditor)).json()["response"]
    assert (again["share_url"], again["passcode"]) == (response["share_url"], response["passcode"])

    outcome = await client.post(
        f"/v1/audit-requests/{asked['id']}/outcome",
        json={"outcome": "accepted", "note": "Meets the standards."},
        headers=reg.auditor,
    )
    assert outcome.status_code == 200, outcome.text
    assert outcome.json()["state"] == "accepted"
    assert "accepted" in body_of(last_mail_to(client.mailbox, email))
    worker_view = (await client.get(f"/v1/me/audit-requests/{asked['id']}", headers=worker)).json()
    assert worker_view["state"] == "accepted" and worker_view["outcome_note"] == "Meets the standards."
    assert "response" not in worker_view or worker_view["response"] is None
    assert (await _notifications(client, worker))[0]["kind"] == "audit_outcome"


async def test_more_information_lets_the_worker_answer_again_and_withdraws_the_first_link(client):
    reg = await regulator(client)
    worker, email, _ = await _worker(client)
    asked = await ask(client, reg, email)
    assert (await answer(client, worker, asked["id"], await finished_export(client, worker))).status_code == 200
    first = (await client.get(f"/v1/audit-requests/{asked['id']}", headers=reg.auditor)).json()["response"]
    path = f"/v1/audit-requests/{asked['id']}/outcome"
    no_note = await client.post(path, json={"outcome": "more_information_needed"}, headers=reg.auditor)
    assert no_note.status_code == 422 and "note" in no_note.text
    more = await client.post(
        path, json={"outcome": "more_information_needed", "note": "Add 2025."}, headers=reg.auditor
    )
    assert more.status_code == 200 and more.json()["state"] == "more_information_needed"
    assert "more information needed" in body_of(last_mail_to(client.mailbox, email))
    second_export = await finished_export(client, worker, {"period": {"from": "2024-01-01", "to": "2025-12-31"}})
    assert (await answer(client, worker, asked["id"], second_export)).status_code == 200
    second = (await client.get(f"/v1/audit-requests/{asked['id']}", headers=reg.auditor)).json()["response"]
    assert second["share_url"] != first["share_url"] and second["export_id"] == second_export
    old_token = first["share_url"].rsplit("/shared/", 1)[1]
    assert (
        await client.get(f"/shared/{old_token}", headers={"X-Share-Passcode": first["passcode"]})
    ).status_code == 410
    rejected = await client.post(path, json={"outcome": "not_accepted", "note": "Gaps."}, headers=reg.auditor)
    assert rejected.status_code == 200 and rejected.json()["state"] == "not_accepted"
    assert (await client.post(path, json={"outcome": "accepted"}, headers=reg.auditor)).status_code == 409
    assert (await answer(client, worker, asked["id"], second_export)).status_code == 409


async def test_an_address_without_an_account_is_invited_and_sees_the_request_once_confirmed(client):
    reg = await regulator(client)
    email = f"new-{uuid.uuid4().hex[:8]}@example.org"
    asked = await ask(client, reg, email)
    invitation = body_of(last_mail_to(client.mailbox, email))
    assert "No account yet?" in invitation and "/app/audit-requests" in invitation
    worker = await sign_up(client, email, verified=False)
    assert (await client.get("/v1/me/audit-requests", headers=worker)).json() == []
    assert (await client.get(f"/v1/me/audit-requests/{asked['id']}", headers=worker)).status_code == 404
    await confirm_address(client, email)
    mine = (await client.get("/v1/me/audit-requests", headers=worker)).json()
    assert [item["id"] for item in mine] == [asked["id"]]


async def test_decline_and_withdraw_close_the_request_and_tell_the_other_side(client):
    reg = await regulator(client)
    worker, email, _ = await _worker(client)
    declined_one = await ask(client, reg, email)
    declined = await client.post(
        f"/v1/me/audit-requests/{declined_one['id']}/decline", json={"reason": "Not my registration."}, headers=worker
    )
    assert declined.status_code == 200 and declined.json()["state"] == "declined"
    assert "Not my registration." in body_of(last_mail_to(client.mailbox, reg.auditor_email))
    assert (
        await client.post(f"/v1/audit-requests/{declined_one['id']}/withdraw", headers=reg.auditor)
    ).status_code == 409
    empty = await client.post(
        f"/v1/me/audit-requests/{declined_one['id']}/decline", json={"reason": ""}, headers=worker
    )
    assert empty.status_code == 422

    withdrawn_one = await ask(client, reg, email)
    withdrawn = await client.post(f"/v1/audit-requests/{withdrawn_one['id']}/withdraw", headers=reg.auditor)
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "withdrawn"
    assert "withdrew its request" in body_of(last_mail_to(client.mailbox, email))
    export_id = await finished_export(client, worker)
    assert (await answer(client, worker, withdrawn_one["id"], export_id)).status_code == 409
    outcome = await client.post(
        f"/v1/audit-requests/{withdrawn_one['id']}/outcome", json={"outcome": "accepted"}, headers=reg.auditor
    )
    assert outcome.status_code == 409


async def test_an_overdue_request_is_marked_for_both_sides(client):
    reg = await regulator(client)
    worker, email, _ = await _worker(client)
    asked = await ask(client, reg, email, deadline=date.today().isoformat())
    assert asked["overdue"] is False
    # A day passes without an answer.
    await AuditRequest.update({AuditRequest.deadline: date.today() - timedelta(days=1)}).where(
        AuditRequest.id == uuid.UUID(asked["id"])
    )
    assert (await client.get("/v1/audit-requests", headers=reg.auditor)).json()[0]["overdue"] is True
    assert (await client.get("/v1/me/audit-requests", headers=worker)).json()[0]["overdue"] is True
    overdue_only = await client.get("/v1/me/audit-requests", params={"state": "responded"}, headers=worker)
    assert overdue_only.json() == []
    assert (await answer(client, worker, asked["id"], await finished_export(client, worker))).status_code == 200
    assert (await client.get("/v1/audit-requests", headers=reg.auditor)).json()[0]["overdue"] is False


async def test_who_may_see_and_act(client):
    reg = await regulator(client)
    other = await regulator(client, name="Other Regulator")
    worker, email, _ = await _worker(client)
    stranger, _, _ = await _worker(client)
    asked = await ask(client, reg, email)
    one = f"/v1/audit-requests/{asked['id']}"
    assert (await client.get(one, headers=other.auditor)).status_code == 404
    assert (await client.get(one, headers=worker)).status_code == 404
    assert (await client.get("/v1/audit-requests", headers=other.auditor)).json() == []
    assert (await client.get(f"/v1/me/audit-requests/{asked['id']}", headers=stranger)).status_code == 404
    stranger_export = await finished_export(client, stranger)
    assert (await answer(client, stranger, asked["id"], stranger_export)).status_code == 404
    # The worker answers only with an export of their own.
    not_mine = await answer(client, worker, asked["id"], stranger_export)
    assert not_mine.status_code == 422 and "export_id" in not_mine.text
    body = request_body(reg.organisation_id, email)
    assert (await client.post("/v1/audit-requests", json=body, headers=reg.admin)).status_code == 403
    assert (await client.post("/v1/audit-requests", json=body, headers=other.auditor)).status_code == 404
    assert (await client.post("/v1/audit-requests", json=body, headers=worker)).status_code == 404


async def test_a_revoked_export_cannot_answer(client):
    reg = await regulator(client)
    worker, email, _ = await _worker(client)
    asked = await ask(client, reg, email)
    export_id = await finished_export(client, worker)
    assert (await client.post(f"/v1/exports/{export_id}/revoke", headers=worker)).status_code == 200
    assert (await answer(client, worker, asked["id"], export_id)).status_code == 410
    assert (await client.get(f"/v1/me/audit-requests/{asked['id']}", headers=worker)).json()["state"] == "requested"


async def test_bad_requests_name_the_field(client):
    reg = await regulator(client)
    cases = {
        "register": {"register": "nowhere"},
        "deadline": {"deadline": (date.today() - timedelta(days=1)).isoformat()},
        "to": {"period": {"from": "2025-01-01", "to": "2024-01-01"}},
        "email": {"email": "not an address"},
    }
    for field, change in cases.items():
        body = request_body(reg.organisation_id, "someone@example.org", **change)
        response = await client.post("/v1/audit-requests", json=body, headers=reg.auditor)
        assert response.status_code == 422, (field, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert field in response.text, (field, response.text)
    assert mails_to(client.mailbox, "someone@example.org") == []
