"""Statements an organisation's learning system posts (issue 19, item 3), through HTTP."""

from __future__ import annotations

import uuid

from tests.organisations.helpers import account, join
from tests.xapi.helpers import VERSION, basic, employer, statement, suggestions, voiding


async def test_a_completed_statement_becomes_a_suggestion_of_the_worker(client):
    org = await employer(client)
    sent = statement(org.worker_email.upper())
    answer = await client.post("/xapi/statements", json=sent, headers=org.lrs)
    assert answer.status_code == 200, answer.text
    assert answer.json() == [sent["id"]]
    assert answer.headers["X-Experience-API-Version"] == "1.0.3"
    [shown] = await suggestions(client, org.worker)
    assert shown["title"] == "Safeguarding adults, level 2"
    assert (shown["occurred_on"], shown["ended_on"], shown["duration_minutes"]) == ("2025-03-04", None, 90)
    assert shown["activity_type"] == "e_learning"
    assert (shown["organisation_id"], shown["organisation_name"], shown["source"]) == (
        org.organisation_id,
        "Riverside Care",
        "xapi",
    )
    assert await suggestions(client, org.admin) == []


async def test_a_batch_answers_every_id_and_assigns_missing_ones(client):
    org = await employer(client)
    first, second = statement(org.worker_email), statement(org.worker_email)
    del second["id"]
    answer = await client.post("/xapi/statements", json=[first, second], headers=org.lrs)
    assert answer.status_code == 200, answer.text
    ids = answer.json()
    assert ids[0] == first["id"] and uuid.UUID(ids[1])
    assert len(await suggestions(client, org.worker)) == 2


async def test_only_completed_passed_or_attended_and_not_failed_suggest(client):
    org = await employer(client)
    verbs = "http://adlnet.gov/expapi/verbs/"
    batch = [
        statement(org.worker_email, verb={"id": verbs + "passed"}),
        statement(org.worker_email, verb={"id": verbs + "attended"}, result={"duration": "P2DT4H"}),
        statement(org.worker_email, verb={"id": verbs + "experienced"}),
        statement(org.worker_email, verb={"id": verbs + "passed"}, result={"success": False}),
        statement(org.worker_email, result={"completion": False}),
    ]
    assert (await client.post("/xapi/statements", json=batch, headers=org.lrs)).status_code == 200
    shown = sorted(await suggestions(client, org.worker), key=lambda item: item["duration_minutes"])
    assert [item["duration_minutes"] for item in shown] == [90, 3120]
    # 52 hours finished on 4 March span the three days before it ends.
    assert (shown[1]["occurred_on"], shown[1]["ended_on"]) == ("2025-03-02", "2025-03-04")


async def test_put_stores_under_the_statement_id_and_a_replay_changes_nothing(client):
    org = await employer(client)
    sent = statement(org.worker_email)
    del sent["id"]
    statement_id = str(uuid.uuid4())
    for _ in range(2):
        answer = await client.put("/xapi/statements", params={"statementId": statement_id}, json=sent, headers=org.lrs)
        assert answer.status_code == 204, answer.text
        assert answer.headers["X-Experience-API-Version"] == "1.0.3"
    again = await client.post("/xapi/statements", json={**sent, "id": statement_id}, headers=org.lrs)
    assert again.status_code == 200 and again.json() == [statement_id]
    assert len(await suggestions(client, org.worker)) == 1


async def test_a_conflicting_replay_is_refused_and_the_stored_one_stays(client):
    org = await employer(client)
    sent = statement(org.worker_email)
    assert (await client.post("/xapi/statements", json=sent, headers=org.lrs)).status_code == 200
    changed = {**sent, "result": {"duration": "PT3H"}}
    conflict = await client.post("/xapi/statements", json=[statement(org.worker_email), changed], headers=org.lrs)
    assert conflict.status_code == 409
    assert conflict.headers["content-type"].startswith("application/problem+json")
    assert conflict.json()["errors"][0]["field"] == "statements[1].id"
    put = await client.put("/xapi/statements", params={"statementId": sent["id"]}, json=changed, headers=org.lrs)
    assert put.status_code == 409
    [shown] = await suggestions(client, org.worker)
    assert shown["duration_minutes"] == 90


async def test_voiding_withdraws_a_pending_suggestion(client):
    org = await employer(client)
    kept, voided = statement(org.worker_email), statement(org.worker_email)
    assert (await client.post("/xapi/statements", json=[kept, voided], headers=org.lrs)).status_code == 200
    answer = await client.post("/xapi/statements", json=voiding(voided["id"]), headers=org.lrs)
    assert answer.status_code == 200, answer.text
    assert [item["id"] for item in await suggestions(client, org.worker)] != []
    assert len(await suggestions(client, org.worker)) == 1
    # Posting the voided statement again is a replay: it never comes back.
    assert (await client.post("/xapi/statements", json=voided, headers=org.lrs)).status_code == 200
    assert len(await suggestions(client, org.worker)) == 1


async def test_statements_about_someone_who_has_not_agreed_are_refused_and_nothing_is_stored(client):
    org = await employer(client)
    colleague, colleague_me = await account(client, "Cal Colleague")
    await join(client, org.admin, org.organisation_id, colleague, "worker")
    ok = statement(org.worker_email)
    refused = statement(colleague_me["email"])
    stranger = statement("nobody@example.org")
    answer = await client.post("/xapi/statements", json=[ok, refused, stranger], headers=org.lrs)
    assert answer.status_code == 403
    problem = answer.json()
    assert problem["type"] == "urn:cpl:problem:xapi-no-consent"
    assert f"mailto:{colleague_me['email']}" in problem["detail"] and "mailto:nobody@example.org" in problem["detail"]
    assert [error["field"] for error in problem["errors"]] == ["statements[1].actor", "statements[2].actor"]
    assert answer.headers["X-Experience-API-Version"] == "1.0.3"
    assert await suggestions(client, org.worker) == []
    # Nothing was stored: the same ids go through once the batch is only about the consenting worker.
    assert (await client.post("/xapi/statements", json=ok, headers=org.lrs)).status_code == 200
    assert len(await suggestions(client, org.worker)) == 1


async def test_consent_is_per_organisation_and_can_be_withdrawn(client):
    org = await employer(client)
    withdrawn = await client.delete(f"/v1/me/suggestion-consents/{org.organisation_id}", headers=org.worker)
    assert withdrawn.status_code == 204
    assert (await client.get("/v1/me/suggestion-consents", headers=org.worker)).json() == []
    sent = statement(org.worker_email)
    assert (await client.post("/xapi/statements", json=sent, headers=org.lrs)).status_code == 403
    given = await client.put(f"/v1/me/suggestion-consents/{org.organisation_id}", headers=org.worker)
    assert given.status_code == 201 and given.json()["organisation_name"] == "Riverside Care"
    again = await client.put(f"/v1/me/suggestion-consents/{org.organisation_id}", headers=org.worker)
    assert again.status_code == 200
    assert (await client.post("/xapi/statements", json=sent, headers=org.lrs)).status_code == 200
    other = await employer(client, name="Hillside Homes")
    assert (
        await client.put(f"/v1/me/suggestion-consents/{other.organisation_id}", headers=org.worker)
    ).status_code == 404


async def test_wrong_or_revoked_credentials_answer_401_and_a_missing_version_400(client):
    org = await employer(client)
    sent = statement(org.worker_email)
    for headers in ({**VERSION}, basic("lrs-unknown", "secret"), {**org.lrs, "Authorization": "Bearer x"}):
        answer = await client.post("/xapi/statements", json=sent, headers=headers)
        assert answer.status_code == 401, headers
        assert answer.headers["WWW-Authenticate"].startswith("Basic")
        assert answer.headers["X-Experience-API-Version"] == "1.0.3"
    key = org.lrs["Authorization"]
    no_version = await client.post("/xapi/statements", json=sent, headers={"Authorization": key})
    assert no_version.status_code == 400 and "X-Experience-API-Version" in no_version.json()["detail"]
    old = await client.post("/xapi/statements", json=sent, headers={**org.lrs, "X-Experience-API-Version": "0.95"})
    assert old.status_code == 400
    v2 = await client.post("/xapi/statements", json=sent, headers={**org.lrs, "X-Experience-API-Version": "2.0.0"})
    assert v2.status_code == 200 and v2.headers["X-Experience-API-Version"] == "2.0.0"
    revoked = await client.delete(
        f"/v1/organisations/{org.organisation_id}/lrs-credentials/{org.credential_id}", headers=org.admin
    )
    assert revoked.status_code == 204
    assert (await client.post("/xapi/statements", json=statement(org.worker_email), headers=org.lrs)).status_code == 401
    listed = (await client.get(f"/v1/organisations/{org.organisation_id}/lrs-credentials", headers=org.admin)).json()
    assert listed[0]["revoked_at"] is not None and "secret" not in listed[0]


async def test_another_organisations_credentials_cannot_write_about_our_worker(client):
    org = await employer(client)
    other = await employer(client, name="Hillside Homes")
    answer = await client.post("/xapi/statements", json=statement(org.worker_email), headers=other.lrs)
    assert answer.status_code == 403
    assert await suggestions(client, org.worker) == []


async def test_a_batch_mixing_new_replayed_and_conflicting_statements_stores_nothing(client):
    org = await employer(client)
    replayed, changed = statement(org.worker_email), statement(org.worker_email, result={"duration": "PT1H"})
    assert (await client.post("/xapi/statements", json=[replayed, changed], headers=org.lrs)).status_code == 200
    new = statement(org.worker_email, result={"duration": "PT2H"})
    conflicting = {**changed, "result": {"duration": "PT3H"}}
    answer = await client.post("/xapi/statements", json=[new, replayed, conflicting], headers=org.lrs)
    assert answer.status_code == 409
    assert answer.json()["errors"] == [{"field": "statements[2].id", "message": "conflicts with a stored statement"}]
    assert sorted(item["duration_minutes"] for item in await suggestions(client, org.worker)) == [60, 90]
    # The new statement was not stored: sent again without the conflict it is new (a suggestion).
    again = await client.post("/xapi/statements", json=[new, replayed, changed], headers=org.lrs)
    assert again.status_code == 200 and again.json() == [new["id"], replayed["id"], changed["id"]]
    assert sorted(item["duration_minutes"] for item in await suggestions(client, org.worker)) == [60, 90, 120]


async def test_a_statement_voided_in_its_own_batch_suggests_nothing(client):
    org = await employer(client)
    kept, voided = statement(org.worker_email), statement(org.worker_email, result={"duration": "PT2H"})
    batch = [kept, voided, voiding(voided["id"])]
    answer = await client.post("/xapi/statements", json=batch, headers=org.lrs)
    assert answer.status_code == 200, answer.text
    assert [item["duration_minutes"] for item in await suggestions(client, org.worker)] == [90]
    # The whole batch again is a replay: the voided statement's suggestion never comes back.
    assert (await client.post("/xapi/statements", json=batch, headers=org.lrs)).status_code == 200
    assert [item["duration_minutes"] for item in await suggestions(client, org.worker)] == [90]
