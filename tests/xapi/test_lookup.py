"""Reading a stored statement back (GET /xapi/statements) and the About resource, through HTTP."""

from __future__ import annotations

import uuid

from tests.xapi.helpers import VERSION, basic, credential, employer, statement, suggestions, voiding


async def test_a_statement_is_read_back_by_id_as_stored_and_once_voided_only_as_voided(client):
    org = await employer(client)
    sent = statement(org.worker_email)
    assert (await client.post("/xapi/statements", json=sent, headers=org.lrs)).status_code == 200
    found = await client.get("/xapi/statements", params={"statementId": sent["id"]}, headers=org.lrs)
    assert found.status_code == 200, found.text
    body = found.json()
    assert body["id"] == sent["id"] and body["verb"] == sent["verb"] and body["actor"] == sent["actor"]
    assert body["stored"] and body["authority"]["objectType"] == "Agent" and body["version"] == "1.0.0"
    assert found.headers["X-Experience-API-Version"] == "1.0.3"
    assert found.headers["X-Experience-API-Consistent-Through"]
    not_voided = await client.get("/xapi/statements", params={"voidedStatementId": sent["id"]}, headers=org.lrs)
    assert not_voided.status_code == 404

    assert (await client.post("/xapi/statements", json=voiding(sent["id"]), headers=org.lrs)).status_code == 200
    gone = await client.get("/xapi/statements", params={"statementId": sent["id"]}, headers=org.lrs)
    assert gone.status_code == 404
    assert gone.headers["content-type"].startswith("application/problem+json")
    assert gone.headers["X-Experience-API-Version"] == "1.0.3"
    voided = await client.get("/xapi/statements", params={"voidedStatementId": sent["id"]}, headers=org.lrs)
    assert voided.status_code == 200 and voided.json()["id"] == sent["id"]


async def test_a_lookup_needs_exactly_one_uuid_and_sees_only_its_organisations_statements(client):
    org = await employer(client)
    other = await employer(client, name="Hillside Care")
    sent = statement(org.worker_email)
    assert (await client.post("/xapi/statements", json=sent, headers=org.lrs)).status_code == 200
    theirs = await client.get("/xapi/statements", params={"statementId": sent["id"]}, headers=other.lrs)
    assert theirs.status_code == 404
    unknown = await client.get("/xapi/statements", params={"statementId": str(uuid.uuid4())}, headers=org.lrs)
    assert unknown.status_code == 404
    for params, field in (
        ({}, "statementId"),
        ({"statementId": sent["id"], "voidedStatementId": sent["id"]}, "statementId"),
        ({"statementId": "not-a-uuid"}, "statementId"),
        ({"voidedStatementId": "12"}, "voidedStatementId"),
    ):
        refused = await client.get("/xapi/statements", params=params, headers=org.lrs)
        assert refused.status_code == 400, params
        assert refused.json()["errors"][0]["field"] == field
    anonymous = await client.get("/xapi/statements", params={"statementId": sent["id"]}, headers=VERSION)
    assert anonymous.status_code == 401
    made = await credential(client, org.admin, org.organisation_id)
    revoked = await client.delete(
        f"/v1/organisations/{org.organisation_id}/lrs-credentials/{made['id']}", headers=org.admin
    )
    assert revoked.status_code == 204
    old = basic(made["key"], made["secret"])
    assert (await client.get("/xapi/statements", params={"statementId": sent["id"]}, headers=old)).status_code == 401


async def test_about_names_the_versions_without_credentials(client):
    answer = await client.get("/xapi/about")
    assert answer.status_code == 200
    assert answer.json() == {"version": ["1.0.3", "2.0.0"]}
    assert answer.headers["X-Experience-API-Version"] == "1.0.3"


async def test_one_batch_voids_several_statements_and_voiding_one_twice_is_harmless(client):
    org = await employer(client)
    first, second, kept = (statement(org.worker_email) for _ in range(3))
    assert (await client.post("/xapi/statements", json=[first, second, kept], headers=org.lrs)).status_code == 200
    by_first, by_second, again = voiding(first["id"]), voiding(second["id"]), voiding(first["id"])
    answer = await client.post("/xapi/statements", json=[by_first, by_second, again], headers=org.lrs)
    assert answer.status_code == 200, answer.text
    for target in (first, second):
        found = await client.get("/xapi/statements", params={"voidedStatementId": target["id"]}, headers=org.lrs)
        assert found.status_code == 200 and found.json()["id"] == target["id"]
    still = await client.get("/xapi/statements", params={"statementId": kept["id"]}, headers=org.lrs)
    assert still.status_code == 200
    # A voiding statement is never voided itself.
    assert (await client.post("/xapi/statements", json=voiding(by_first["id"]), headers=org.lrs)).status_code == 200
    assert (
        await client.get("/xapi/statements", params={"statementId": by_first["id"]}, headers=org.lrs)
    ).status_code == 200
    assert len(await suggestions(client, org.worker)) == 1  # the kept statement's; the voided ones' withdrawn
