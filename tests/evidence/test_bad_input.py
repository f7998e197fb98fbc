"""Bad input: every case is a 4xx problem+json naming what is wrong, and changes nothing."""

from __future__ import annotations

import uuid

import pytest

from tests.factories import all_changes, entry_body, put_entry, sign_up

INVALID_BODIES = [
    ("unknown kind", {"kind": "holiday_photos"}, "kind"),
    ("wrong type for duration", {"duration_minutes": "ninety"}, "duration_minutes"),
    ("duration as float", {"duration_minutes": 90.5}, "duration_minutes"),
    ("negative duration", {"duration_minutes": -1}, "duration_minutes"),
    ("absurd duration", {"duration_minutes": 10_000_000}, "duration_minutes"),
    ("duration longer than the day", {"duration_minutes": 1441}, "body"),
    ("impossible date", {"occurred_on": "2024-02-30"}, "occurred_on"),
    ("timestamp for a date", {"occurred_on": 1700000000}, "occurred_on"),
    ("date far in the future", {"occurred_on": "2999-01-01"}, "body"),
    ("ended before it began", {"occurred_on": "2025-05-02", "ended_on": "2025-05-01"}, "body"),
    ("empty title", {"title": "   "}, "title"),
    ("over-long title", {"title": "x" * 201}, "title"),
    ("over-long description", {"description": "x" * 20_001}, "description"),
    ("NUL in title", {"title": "bad\u0000title"}, "title"),
    ("unknown activity type", {"activity_type": "skydiving"}, "activity_type"),
    ("participatory as text", {"participatory": "yes"}, "participatory"),
    ("too many tags", {"tags": [f"t{n}" for n in range(31)]}, "tags"),
    ("unknown field", {"colour": "blue"}, "colour"),
    ("reflection not an object", {"reflection": "I learned"}, "reflection"),
]


@pytest.mark.parametrize(("case", "change", "field"), INVALID_BODIES, ids=[case[0] for case in INVALID_BODIES])
async def test_invalid_entries_are_422_naming_the_field(client, case, change, field):
    headers = await sign_up(client)
    response = await client.put(f"/v1/evidence/{uuid.uuid4()}", json=entry_body(**change), headers=headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 422 and problem["title"] and problem["detail"]
    assert any(field in error["field"] for error in problem["errors"]), problem["errors"]
    assert await all_changes(client, headers) == []


async def test_malformed_json_is_400(client):
    headers = {**await sign_up(client), "Content-Type": "application/json"}
    response = await client.put(f"/v1/evidence/{uuid.uuid4()}", content=b'{"kind": "feedback",', headers=headers)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert await all_changes(client, headers) == []


async def test_body_that_is_not_an_object_is_refused(client):
    headers = await sign_up(client)
    response = await client.put(f"/v1/evidence/{uuid.uuid4()}", json=[1, 2, 3], headers=headers)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_oversize_body_is_413(client):
    headers = await sign_up(client)
    body = entry_body(description="x" * 2_000_000)
    response = await client.put(f"/v1/evidence/{uuid.uuid4()}", json=body, headers=headers)
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")
    assert await all_changes(client, headers) == []


async def test_bad_uuid_is_422_naming_the_id(client):
    headers = await sign_up(client)
    for path in ("/v1/evidence/not-a-uuid", "/v1/evidence/1234"):
        response = await client.put(path, json=entry_body(), headers=headers)
        assert response.status_code == 422
        assert response.headers["content-type"].startswith("application/problem+json")
        assert [error["field"] for error in response.json()["errors"]] == ["entry_id"]
    assert await all_changes(client, headers) == []


async def test_bad_if_match_is_400_and_changes_nothing(client):
    headers = await sign_up(client)
    entry = await put_entry(client, headers)
    response = await client.put(
        f"/v1/evidence/{entry['id']}", json=entry_body(title="x"), headers={**headers, "If-Match": 'W/"1"'}
    )
    assert response.status_code == 400
    assert (await client.get(f"/v1/evidence/{entry['id']}", headers=headers)).json() == entry


async def test_bad_query_parameters_are_422_naming_the_parameter(client):
    headers = await sign_up(client)
    for params in ({"from": "2024-13-01"}, {"limit": 0}, {"limit": 10_000}, {"activity_type": "nap"}):
        response = await client.get("/v1/evidence", params=params, headers=headers)
        assert response.status_code == 422, params
        assert [error["field"] for error in response.json()["errors"]] == list(params)
