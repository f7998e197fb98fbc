"""Absolute URLs come from ``public_base_url``, never from ``Host``; a completed slot takes no more bytes (issue 14)."""

from __future__ import annotations

import hashlib
import logging

import pytest

from cpl.public_address import address_mismatch, served_base_url, warn_if_public_address_differs
from tests.factories import put_entry, sign_up

EVIL = {"Host": "evil.example"}
PUBLIC = "https://cpl.example.org"


def _slot_body(entry_id: str, data: bytes) -> dict:
    sha256 = hashlib.sha256(data).hexdigest()
    return {"entry_id": entry_id, "filename": "n.txt", "size": len(data), "sha256": sha256, "media_type": "text/plain"}


@pytest.fixture
async def public_client(client_for, make_settings):
    return await client_for(make_settings(public_base_url=PUBLIC))


async def test_an_upload_url_is_on_the_public_address_whatever_the_host_header(public_client):
    headers = await sign_up(public_client)
    entry = await put_entry(public_client, headers)
    response = await public_client.post(
        "/v1/uploads", json=_slot_body(entry["id"], b"notes\n"), headers={**headers, **EVIL}
    )
    assert response.status_code == 201, response.text
    assert response.json()["upload"]["url"].startswith(f"{PUBLIC}/v1/storage/uploads/")


async def test_case_uris_are_on_the_public_address_whatever_the_host_header(public_client):
    headers = await sign_up(public_client)
    frameworks = (await public_client.get("/v1/frameworks", headers=headers)).json()
    framework_id = frameworks["items"][0]["id"] if isinstance(frameworks, dict) else frameworks[0]["id"]
    response = await public_client.get(f"/ims/case/v1p0/CFPackages/{framework_id}", headers={**headers, **EVIL})
    assert response.status_code == 200, response.text
    assert "evil.example" not in response.text
    assert response.json()["CFDocument"]["uri"].startswith(f"{PUBLIC}/ims/case/v1p0/")


async def test_a_completed_slot_takes_no_more_bytes(client):
    headers = await sign_up(client)
    entry = await put_entry(client, headers)
    data = b"certificate of attendance\n"
    slot = (await client.post("/v1/uploads", json=_slot_body(entry["id"], data), headers=headers)).json()
    upload = slot["upload"]
    assert (await client.put(upload["url"], content=data, headers=upload["headers"])).status_code == 204
    assert (await client.post(slot["complete_url"], headers=headers)).status_code == 201
    again = await client.put(upload["url"], content=data, headers=upload["headers"])
    assert again.status_code == 410, again.text
    assert again.headers["content-type"].startswith("application/problem+json")
    assert "completed" in again.json()["detail"]


async def test_an_upload_url_for_no_slot_is_404(client):
    headers = await sign_up(client)
    entry = await put_entry(client, headers)
    data = b"notes\n"
    slot = (await client.post("/v1/uploads", json=_slot_body(entry["id"], data), headers=headers)).json()
    assert (
        await client.delete(f"/v1/evidence/{entry['id']}", headers={**headers, "If-Match": '"1"'})
    ).status_code == 204
    upload = slot["upload"]
    response = await client.put(upload["url"], content=data, headers=upload["headers"])
    assert response.status_code == 404, response.text


@pytest.mark.parametrize(
    ("public", "host", "port", "warned"),
    [
        ("http://localhost:8000", "127.0.0.1", 8000, False),
        ("http://localhost:8000", "127.0.0.1", 9000, True),
        ("http://127.0.0.1", "127.0.0.1", 8000, True),
        ("http://localhost:8000", "0.0.0.0", 8000, True),
        ("https://cpl.example.org", "127.0.0.1", 8000, False),
    ],
)
def test_start_up_warns_when_the_public_address_is_not_the_one_served(caplog, public, host, port, warned):
    with caplog.at_level(logging.WARNING, logger="cpl"):
        warn_if_public_address_differs(public, host, port)
    assert bool(address_mismatch(public, host, port)) is warned
    assert any("CPL_PUBLIC_BASE_URL" in record.getMessage() for record in caplog.records) is warned


def test_serve_defaults_the_public_address_to_the_one_it_binds():
    assert served_base_url("127.0.0.1", 8000) == "http://localhost:8000"
    assert served_base_url("0.0.0.0", 9000) == "http://localhost:9000"
    assert served_base_url("192.0.2.7", 8000) == "http://192.0.2.7:8000"
    assert served_base_url("::1", 8000) == "http://localhost:8000"
