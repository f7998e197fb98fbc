"""Hostile input found by testing as an attacker would (issue 14): each is a 4xx problem, never a 500."""

from __future__ import annotations

import io
import uuid
import zipfile

import pytest

from tests.competences.helpers import import_case, operator, sample
from tests.factories import sign_up

PROBLEM = "application/problem+json"
_ENTRY = {"kind": "learning_activity", "title": "t", "occurred_on": "2025-01-01", "duration_minutes": 5}


def _nested(depth: int) -> bytes:
    return ('{"title":' * depth + "1" + "}" * depth).encode()


def _assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    return response.json()


@pytest.mark.parametrize("depth", [1_000, 100_000])
@pytest.mark.parametrize(
    ("method", "path"),
    [("PUT", "/v1/evidence/{id}"), ("POST", "/v1/auth/register"), ("POST", "/v1/uploads")],
)
async def test_deeply_nested_json_bodies_are_400_on_every_json_route(client, method, path, depth):
    headers = await sign_up(client)
    body = _nested(depth)
    response = await client.request(
        method,
        path.format(id=uuid.uuid4()),
        content=body,
        headers={**headers, "Content-Type": "application/json"},
    )
    problem = _assert_problem(response, 400)
    assert "64 levels" in problem["detail"]


async def test_arrays_nested_deeply_are_400_too(client):
    headers = await sign_up(client)
    body = b"[" * 1_000 + b"]" * 1_000
    response = await client.post(
        "/v1/evidence/batch", content=body, headers={**headers, "Content-Type": "application/json"}
    )
    _assert_problem(response, 400)


async def test_brackets_inside_strings_do_not_count_as_nesting(client):
    headers = await sign_up(client)
    title = "[" * 100 + '{"' + "{" * 50
    response = await client.put(
        f"/v1/evidence/{uuid.uuid4()}",
        json={"kind": "learning_activity", "title": title, "occurred_on": "2025-01-01", "duration_minutes": 5},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    assert response.json()["title"] == title


async def test_a_deeply_nested_record_or_bundle_is_refused_by_the_import(client):
    headers = await sign_up(client)
    response = await client.post(
        "/v1/imports", content=_nested(5_000), headers={**headers, "Content-Type": "application/json"}
    )
    _assert_problem(response, 400)
    bundle = io.BytesIO()
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("record.json", _nested(50_000))
    response = await client.post(
        "/v1/imports", content=bundle.getvalue(), headers={**headers, "Content-Type": "application/zip"}
    )
    _assert_problem(response, 400)


async def test_a_deeply_nested_case_package_is_refused(client, settings):
    headers = await operator(client, settings)
    response = await import_case(client, headers, _nested(5_000))
    _assert_problem(response, 400)


@pytest.mark.parametrize("since", ["²", "١٢", "½", "12²"])
async def test_a_sync_cursor_of_non_ascii_digits_is_400(client, since):
    headers = await sign_up(client)
    response = await client.get("/v1/sync", params={"since": since}, headers=headers)
    problem = _assert_problem(response, 400)
    assert "cursor" in problem["detail"]


@pytest.mark.parametrize("field", ["filename", "media_type"])
async def test_a_nul_in_an_upload_slot_is_422_naming_the_field(client, field):
    headers = await sign_up(client)
    entry_id = str(uuid.uuid4())
    body = {"kind": "learning_activity", "title": "t", "occurred_on": "2025-01-01", "duration_minutes": 5}
    assert (await client.put(f"/v1/evidence/{entry_id}", json=body, headers=headers)).status_code == 201
    slot = {"entry_id": entry_id, "filename": "notes.txt", "size": 10, "sha256": "a" * 64, "media_type": "text/plain"}
    slot[field] += "\u0000"
    response = await client.post("/v1/uploads", json=slot, headers=headers)
    problem = _assert_problem(response, 422)
    assert problem["errors"][0]["field"] == field


async def test_a_nul_in_any_text_of_a_case_package_is_422(client, settings):
    headers = await operator(client, settings)
    package = sample("opensalt-SmartLevelFramework.json")
    package["CFItems"][0]["notes"] = "kept as an extension\u0000"
    response = await import_case(client, headers, package)
    problem = _assert_problem(response, 422)
    assert problem["errors"][0]["field"] == "CFItems.0.notes"


BIDI_CONTROLS = ["\u202e", "\u202a", "\u2066", "\u2069", "\u200f", "\u061c"]


@pytest.mark.parametrize("control", BIDI_CONTROLS, ids=[f"U+{ord(c):04X}" for c in BIDI_CONTROLS])
async def test_bidi_controls_in_a_display_name_are_422_naming_it(client, control):
    response = await client.post(
        "/v1/auth/register",
        json={
            "email": f"{uuid.uuid4().hex}@example.org",
            "password": "x" * 12,
            "display_name": f"Dr Jane{control} Smith",
        },
    )
    problem = _assert_problem(response, 422)
    assert problem["errors"][0]["field"] == "display_name" and "bidirectional" in problem["errors"][0]["message"]


async def test_bidi_controls_in_an_organisation_or_peer_name_are_422_naming_it(client):
    headers = await sign_up(client)
    response = await client.post(
        "/v1/organisations", json={"name": "NHS \u202enaihtoL", "kind": "employer"}, headers=headers
    )
    assert _assert_problem(response, 422)["errors"][0]["field"] == "name"
    entry_id = (await client.put(f"/v1/evidence/{uuid.uuid4()}", json=_ENTRY, headers=headers)).json()["id"]
    response = await client.put(
        f"/v1/evidence/{entry_id}/peer-discussion", json={"name": "Alex \u2066Peer", "pin": ""}, headers=headers
    )
    assert _assert_problem(response, 422)["errors"][0]["field"] == "name"


async def test_right_to_left_names_without_controls_are_accepted(client):
    response = await client.post(
        "/v1/auth/register",
        json={"email": f"{uuid.uuid4().hex}@example.org", "password": "x" * 12, "display_name": "مريم الحسن"},
    )
    assert response.status_code == 202, response.text
