"""Refused export, share and import requests: a 4xx problem naming the field, and nothing made or changed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cpl.settings import Settings
from tests.attachments.helpers import spool_files
from tests.exports.helpers import export_file, worker_record
from tests.factories import put_entry, sign_up
from tests.requirements.helpers import register_on

PROBLEM = "application/problem+json"
MISSING = "00000000-0000-4000-8000-000000000000"


def _refused(response, status: int, field: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    assert field in [error["field"] for error in response.json()["errors"]], response.text


async def _export_rows(client, headers) -> list[dict]:
    return (await client.get("/v1/exports", headers=headers)).json()["items"]


async def test_a_bad_export_request_names_the_field_and_queues_nothing(client):
    headers = await sign_up(client)
    mine = await put_entry(client, headers)
    other = await sign_up(client)
    theirs = await put_entry(client, other)
    their_registration = await register_on(client, other, "nmc", "nurse", "2024-01-01", "2027-01-01")
    cases = [
        ({"format": "docx"}, 422, "format"),
        (
            {"format": "json", "selection": {"period": {"from": "2025-02-01", "to": "2025-01-31"}}},
            422,
            "selection.period",
        ),
        ({"format": "json", "selection": {"registration_id": MISSING}}, 422, "selection.registration_id"),
        (
            {"format": "json", "selection": {"registration_id": their_registration["id"]}},
            422,
            "selection.registration_id",
        ),
        ({"format": "json", "selection": {"entry_ids": [mine["id"], theirs["id"]]}}, 422, "selection.entry_ids"),
        ({"format": "json", "selection": {"framework_ids": [MISSING]}}, 422, "selection.framework_ids"),
    ]
    for body, status, field in cases:
        _refused(await client.post("/v1/exports", json=body, headers=headers), status, field)
    assert await _export_rows(client, headers) == []
    assert await _export_rows(client, other) == []


async def test_another_workers_export_is_not_found_anywhere(client):
    owner = await sign_up(client)
    await put_entry(client, owner)
    done, _ = await export_file(client, owner, "json")
    share = (await client.post(f"/v1/exports/{done['id']}/shares", json={}, headers=owner)).json()
    stranger = await sign_up(client)
    base = f"/v1/exports/{done['id']}"
    for method, path, body in [
        ("GET", base, None),
        ("GET", f"{base}/download", None),
        ("POST", f"{base}/revoke", None),
        ("POST", f"{base}/shares", {}),
        ("GET", f"{base}/shares", None),
        ("DELETE", f"{base}/shares/{share['id']}", None),
    ]:
        response = await client.request(method, path, json=body, headers=stranger, follow_redirects=False)
        assert response.status_code == 404, (method, path, response.text)
        assert response.headers["content-type"].startswith(PROBLEM)
    mine = (await client.get(base, headers=owner)).json()
    assert mine["revoked_at"] is None
    shares = (await client.get(f"{base}/shares", headers=owner)).json()
    assert [(item["id"], item["revoked_at"]) for item in shares] == [(share["id"], None)]


async def test_a_share_link_expiring_in_the_past_or_too_far_ahead_is_refused(client, settings: Settings):
    headers = await sign_up(client)
    await put_entry(client, headers)
    done, _ = await export_file(client, headers, "json")
    now = datetime.now(UTC)
    too_far = settings.share_max_ttl + timedelta(hours=1)
    cases = [
        ({"expires_at": (now - timedelta(minutes=1)).isoformat()}, "expires_at"),
        ({"expires_at": (now + too_far).isoformat()}, "expires_at"),
        ({"ttl_hours": int(too_far.total_seconds() // 3600)}, "ttl_hours"),
    ]
    for body, field in cases:
        _refused(await client.post(f"/v1/exports/{done['id']}/shares", json=body, headers=headers), 422, field)
    at_the_limit = {"expires_at": (now + settings.share_max_ttl - timedelta(minutes=5)).isoformat()}
    assert (
        await client.post(f"/v1/exports/{done['id']}/shares", json=at_the_limit, headers=headers)
    ).status_code == 201
    assert len((await client.get(f"/v1/exports/{done['id']}/shares", headers=headers)).json()) == 1


@pytest.mark.parametrize(("export_format", "media_type"), [("json", "application/json"), ("bundle", "application/zip")])
async def test_an_import_over_the_size_limit_is_refused_and_nothing_is_imported(
    client, client_for, make_settings, export_format, media_type
):
    source = await sign_up(client)
    await worker_record(client, source)
    _, data = await export_file(client, source, export_format)
    limited = make_settings(import_max_bytes=1024)
    target = await client_for(limited)
    mover = await sign_up(target)
    assert len(data) > limited.import_max_bytes
    response = await target.post("/v1/imports", content=data, headers={**mover, "Content-Type": media_type})
    assert response.status_code == 413, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    assert (await target.get("/v1/evidence", headers=mover)).json()["items"] == []
    assert (await target.get("/v1/me/registrations", headers=mover)).json() == []
    assert spool_files(limited) == []
