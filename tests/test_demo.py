"""``cpl serve --demo`` seeds enough to try the review flow from the Quick start (issue 14, demo finding)."""

from __future__ import annotations

from cpl.demo import DEMO_EMAIL, DEMO_PASSWORD, OPERATOR_EMAIL, ORGANISATION_NAME, SUPERVISOR_EMAIL, seed_demo
from tests.factories import enrol_second_factor


async def _login(client, email: str) -> dict[str, str]:
    response = await client.post("/v1/auth/login", json={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


async def test_the_demo_data_gives_a_working_review_flow(settings, client_for, capsys):
    await seed_demo(settings)
    assert f"supervisor {SUPERVISOR_EMAIL}" in capsys.readouterr().out
    await seed_demo(settings)
    assert capsys.readouterr().out == ""
    client = await client_for(settings)
    worker = await _login(client, DEMO_EMAIL)
    supervisor = await _login(client, SUPERVISOR_EMAIL)
    op = await _login(client, OPERATOR_EMAIL)

    [registration] = (await client.get("/v1/me/registrations", headers=worker)).json()
    assert (registration["register"], registration["registration_number"]) == ("nmc", "12A3456E")
    [trust] = (await client.get("/v1/organisations", headers=supervisor)).json()
    assert trust["name"] == ORGANISATION_NAME and trust["vetted"] is True
    assert set(trust["my_roles"]) == {"admin", "supervisor"}
    vetting = (await client.get(f"/v1/operator/organisations/{trust['id']}", headers=op)).json()
    assert [(item["action"], item["note"], item["operator_name"]) for item in vetting["history"]] == [
        ("vetted", "demo data", "Demo Operator")
    ]

    [waiting] = (await client.get("/v1/reviews", headers=supervisor)).json()["items"]
    assert waiting["worker_name"] == "Demo Worker" and waiting["state"] == "submitted"
    [member] = (await client.get("/v1/team", headers=supervisor)).json()["members"]
    assert member["display_name"] == "Demo Worker" and member["shared_entries"] == 1 and member["open_reviews"] == 1
    verify = {"statement": "We discussed this together.", "registration_number": "98Y7654E"}
    refused = await client.post(f"/v1/reviews/{waiting['id']}/verify", json=verify, headers=supervisor)
    assert refused.status_code == 403 and refused.json()["type"] == "urn:cpl:problem:second-factor-required"
    await enrol_second_factor(client, supervisor)  # as the app asks them to, the first time
    verified = await client.post(f"/v1/reviews/{waiting['id']}/verify", json=verify, headers=supervisor)
    assert verified.status_code == 200, verified.text
    [verification] = verified.json()["verifications"]
    assert verification["organisation_standing"] == "vetted organisation"
    mine = (await client.get("/v1/reviews/submitted", headers=worker)).json()["items"]
    assert [item["state"] for item in mine] == ["verified"]
