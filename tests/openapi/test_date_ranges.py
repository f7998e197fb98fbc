"""Every date range in the API is ``from``/``to`` (both days included), and a reversed one is refused
the same way everywhere: 422 naming ``to``."""

from __future__ import annotations

import uuid

from tests.factories import sign_up

REVERSED = {"from": "2025-02-01", "to": "2025-01-31"}
MESSAGE = "must not be before `from`"


async def test_a_reversed_range_is_refused_alike_in_queries_and_bodies(client):
    headers = await sign_up(client)
    anyone = str(uuid.uuid4())
    queries = [
        ("/v1/evidence", REVERSED),
        (f"/v1/shared/workers/{anyone}/evidence", REVERSED),
        ("/v1/me/coverage", {"framework": anyone, **REVERSED}),
    ]
    for path, params in queries:
        refused = await client.get(path, params=params, headers=headers)
        assert refused.status_code == 422, (path, refused.text)
        assert refused.json()["errors"] == [{"field": "to", "message": MESSAGE}], path
    bodies = [
        ("/v1/exports", {"format": "json", "selection": {"period": REVERSED}}),
        ("/v1/shares", {"organisation_id": anyone, "filter": REVERSED}),
    ]
    for path, body in bodies:
        refused = await client.post(path, json=body, headers=headers)
        assert refused.status_code == 422, (path, refused.text)
        assert [error["message"] for error in refused.json()["errors"]] == [f"Value error, to {MESSAGE}"], path
    one_day = {"from": "2025-02-01", "to": "2025-02-01"}
    assert (await client.get("/v1/evidence", params=one_day, headers=headers)).status_code == 200


async def test_the_document_names_every_date_range_from_and_to(client):
    document = (await client.get("/schema/openapi.json")).text
    assert "occurred_from" not in document and "occurred_to" not in document
    paths = (await client.get("/schema/openapi.json")).json()["paths"]
    for path in ("/v1/evidence", "/v1/shared/workers/{worker_id}/evidence", "/v1/me/coverage"):
        names = {parameter["name"] for parameter in paths[path]["get"]["parameters"]}
        assert {"from", "to"} <= names, path
