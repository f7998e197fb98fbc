"""Operators vet organisations (issue 14, item 2): who, when, on what evidence; revoking keeps the history."""

from __future__ import annotations

import uuid

from tests.organisations.helpers import account, organisation
from tests.organisations.operators import cpl, operator, vet


async def test_an_operator_vets_and_revokes_and_every_decision_is_kept(client, settings):
    op, op_me = await operator(client, settings)
    admin, _ = await account(client, "Ada Admin")
    org = await organisation(client, admin, name="NHS Lothian")
    assert (await client.get(f"/v1/organisations/{org}", headers=admin)).json()["vetted"] is False

    vetted = await vet(client, op, org, note="Checked with NHS ODS: code S08000024")
    assert vetted["vetted"] is True and vetted["name"] == "NHS Lothian"
    [decision] = vetted["history"]
    assert decision["action"] == "vetted" and decision["note"] == "Checked with NHS ODS: code S08000024"
    assert decision["operator_id"] == op_me["id"] and decision["operator_name"] == "Olu Operator"
    assert decision["decided_at"]
    assert (await client.get(f"/v1/organisations/{org}", headers=admin)).json()["vetted"] is True
    assert [item["vetted"] for item in (await client.get("/v1/organisations", headers=admin)).json()] == [True]

    again = await client.post(f"/v1/operator/organisations/{org}/vet", json={"note": "Again."}, headers=op)
    assert again.status_code == 409

    revoked = await client.post(
        f"/v1/operator/organisations/{org}/unvet", json={"note": "ODS code belongs to another body."}, headers=op
    )
    assert revoked.status_code == 200, revoked.text
    body = revoked.json()
    assert body["vetted"] is False
    assert [(item["action"], item["note"]) for item in body["history"]] == [
        ("vetted", "Checked with NHS ODS: code S08000024"),
        ("revoked", "ODS code belongs to another body."),
    ]
    assert (await client.get(f"/v1/operator/organisations/{org}", headers=op)).json() == body
    twice = await client.post(f"/v1/operator/organisations/{org}/unvet", json={"note": "Again."}, headers=op)
    assert twice.status_code == 409
    assert (await client.get(f"/v1/organisations/{org}", headers=admin)).json()["vetted"] is False


async def test_operators_list_organisations_by_vetting_state(client, settings):
    op, _ = await operator(client, settings)
    admin, _ = await account(client, "Ada Admin")
    checked = await organisation(client, admin, name="Borders Care")
    unchecked = await organisation(client, admin, name="Acme Homes")
    await vet(client, op, checked)
    listed = await client.get("/v1/operator/organisations", headers=op)
    assert listed.status_code == 200
    assert [(item["name"], item["vetted"]) for item in listed.json()] == [("Acme Homes", False), ("Borders Care", True)]
    only_vetted = await client.get("/v1/operator/organisations", params={"vetted": "true"}, headers=op)
    assert [item["id"] for item in only_vetted.json()] == [checked]
    not_vetted = await client.get("/v1/operator/organisations", params={"vetted": "false"}, headers=op)
    assert [item["id"] for item in not_vetted.json()] == [unchecked]


async def test_bad_decisions_are_refused_and_change_nothing(client, settings):
    op, _ = await operator(client, settings)
    admin, _ = await account(client, "Ada Admin")
    org = await organisation(client, admin)
    for body in ({}, {"note": ""}, {"note": "   "}, {"note": "x" * 2001}, {"note": "bad\x00"}):
        response = await client.post(f"/v1/operator/organisations/{org}/vet", json=body, headers=op)
        assert response.status_code == 422, body
        assert response.headers["content-type"] == "application/problem+json"
        assert [error["field"] for error in response.json()["errors"]] == ["note"]
    missing = await client.post(f"/v1/operator/organisations/{uuid.uuid4()}/vet", json={"note": "x"}, headers=op)
    assert missing.status_code == 404
    assert (await client.get(f"/v1/operator/organisations/{org}", headers=op)).json()["history"] == []


async def test_only_operators_now_may_vet(client, settings):
    admin, admin_me = await account(client, "Ada Admin")
    org = await organisation(client, admin)
    for path in (f"/v1/operator/organisations/{org}/vet", f"/v1/operator/organisations/{org}/unvet"):
        refused = await client.post(path, json={"note": "It is mine."}, headers=admin)
        assert refused.status_code == 403, refused.text
    assert (await client.get("/v1/operator/organisations", headers=admin)).status_code == 403
    assert (await client.get("/v1/organisations", headers=admin)).json()[0]["vetted"] is False

    granted = await cpl(settings, "operators", "grant", admin_me["email"])
    assert granted.returncode == 0, granted.stderr
    assert (await client.get("/v1/operator/organisations", headers=admin)).status_code == 200
    taken = await cpl(settings, "operators", "revoke", admin_me["email"])
    assert taken.returncode == 0 and "no longer an operator" in taken.stdout
    assert (await client.get("/v1/operator/organisations", headers=admin)).status_code == 403
    refused = await client.post(f"/v1/operator/organisations/{org}/vet", json={"note": "Now?"}, headers=admin)
    assert refused.status_code == 403


async def test_the_command_line_vets_lists_and_revokes(client, settings):
    op, op_me = await operator(client, settings)
    admin, admin_me = await account(client, "Ada Admin")
    org = await organisation(client, admin, name="NHS Lothian")

    vetted = await cpl(settings, "organisations", "vet", org, "--note", "Checked with NHS ODS", "--by", op_me["email"])
    assert vetted.returncode == 0, vetted.stderr
    assert f"{org}  NHS Lothian (employer): vetted" in vetted.stdout
    assert "vetted by Olu Operator: Checked with NHS ODS" in vetted.stdout
    shown = (await client.get(f"/v1/operator/organisations/{org}", headers=op)).json()
    assert [(item["action"], item["operator_id"]) for item in shown["history"]] == [("vetted", op_me["id"])]

    listed = await cpl(settings, "organisations", "list", "--by", op_me["email"], "--vetted", "yes")
    assert listed.returncode == 0 and "NHS Lothian (employer): vetted" in listed.stdout

    by_non_operator = await cpl(settings, "organisations", "unvet", org, "--note", "No.", "--by", admin_me["email"])
    assert by_non_operator.returncode == 1 and "Only operators" in by_non_operator.stderr
    no_note = await cpl(settings, "organisations", "unvet", org, "--note", " ", "--by", op_me["email"])
    assert no_note.returncode == 2 and "--note" in no_note.stderr
    unvetted = await cpl(settings, "organisations", "unvet", org, "--note", "Closed down", "--by", op_me["email"])
    assert unvetted.returncode == 0, unvetted.stderr
    assert "self-declared (not vetted)" in unvetted.stdout and "revoked by Olu Operator: Closed down" in unvetted.stdout
    again = await cpl(settings, "organisations", "unvet", org, "--note", "Again", "--by", op_me["email"])
    assert again.returncode == 1 and "not vetted" in again.stderr
    assert len((await client.get(f"/v1/operator/organisations/{org}", headers=op)).json()["history"]) == 2
