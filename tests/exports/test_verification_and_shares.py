"""The public verification page, revocation, supersession, and share links with their access log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cpl.exports.tables import ExportShare
from cpl.signing import verify_jws
from tests.exports.helpers import export_file, jwks, loads, worker_record
from tests.factories import put_entry, sign_up

JSON = {"Accept": "application/json"}


async def test_the_verification_page_tells_a_machine_and_a_person_the_same_facts(client):
    headers = await sign_up(client)
    made = await worker_record(client, headers)
    done, data = await export_file(client, headers, "csv", registration_id=made["registration"]["id"])
    found = (await client.get(f"/verify/{done['id']}", headers=JSON)).json()
    assert found["status"] == "valid" and found["subject"] == "Test Worker" and found["sha256"] == done["sha256"]
    assert found["period"] == {"from": "2024-01-01", "to": "2027-01-01"}
    assert found["issuer"]["did"].startswith("did:web:") and found["kid"] == done["kid"]
    signed = loads(verify_jws(found["signature"], await jwks(client)))
    assert signed == {
        "export_id": done["id"],
        "format": "csv",
        "sha256": done["sha256"],
        "size": len(data),
        "signed_at": signed["signed_at"],
    }
    page = await client.get(f"/verify/{done['id']}")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Valid" in page.text and done["sha256"] in page.text and "Test Worker" in page.text
    assert "digitally signed (PAdES)" not in page.text


async def test_the_verification_page_of_a_pdf_says_the_pdf_itself_is_signed(client):
    headers = await sign_up(client)
    await put_entry(client, headers)
    done, _ = await export_file(client, headers, "pdf")
    page = await client.get(f"/verify/{done['id']}")
    assert page.status_code == 200
    assert "The PDF itself is digitally signed (PAdES)" in page.text and "signed by cpl" in page.text


async def test_unknown_exports_are_not_found_on_the_page(client):
    missing = "00000000-0000-4000-8000-000000000000"
    assert (await client.get(f"/verify/{missing}", headers=JSON)).status_code == 404
    page = await client.get(f"/verify/{missing}")
    assert page.status_code == 404 and "Not found" in page.text


async def test_a_superseded_export_says_a_newer_one_exists_but_not_which(client):
    """Issue 14: anyone holding the old file must not learn the newer export's id from /verify."""
    headers = await sign_up(client)
    await put_entry(client, headers)
    first, _ = await export_file(client, headers, "json")
    second, _ = await export_file(client, headers, "json")
    as_json = await client.get(f"/verify/{first['id']}", headers=JSON)
    assert as_json.status_code == 200
    assert as_json.json()["status"] == "superseded" and as_json.json()["superseded"] is True
    assert "superseded_by" not in as_json.json() and second["id"] not in as_json.text
    as_html = await client.get(f"/verify/{first['id']}")
    assert as_html.status_code == 200 and "Superseded" in as_html.text and second["id"] not in as_html.text
    assert (await client.get(f"/verify/{second['id']}", headers=JSON)).json()["superseded"] is False


async def test_revoked_and_superseded_exports_say_so(client):
    headers = await sign_up(client)
    await put_entry(client, headers)
    first, _ = await export_file(client, headers, "json")
    second, _ = await export_file(client, headers, "json")
    other_format, _ = await export_file(client, headers, "csv")
    status = lambda export: client.get(f"/verify/{export['id']}", headers=JSON)  # noqa: E731
    assert (await status(first)).json()["status"] == "superseded"
    assert (await status(second)).json()["status"] == "valid"
    assert (await status(other_format)).json()["status"] == "valid"
    revoked = await client.post(f"/v1/exports/{second['id']}/revoke", headers=headers)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    again = await client.post(f"/v1/exports/{second['id']}/revoke", headers=headers)
    assert again.json()["revoked_at"] == revoked.json()["revoked_at"]
    assert (await status(second)).json()["status"] == "revoked"


async def _share(client, headers, export_id: str, **body) -> dict:
    response = await client.post(f"/v1/exports/{export_id}/shares", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_share_link_with_a_passcode_records_every_access(client, settings):
    headers = await sign_up(client)
    await put_entry(client, headers)
    done, data = await export_file(client, headers, "json")
    share = await _share(client, headers, done["id"], ttl_hours=24, passcode="open sesame", label="NMC confirmer")
    path = share["url"].removeprefix("https://cpl.example.org")
    assert (await client.get(path)).status_code == 403
    assert (await client.get(path, headers={"X-Share-Passcode": "wrong one"})).status_code == 403
    granted = await client.get(path, headers={"X-Share-Passcode": "open sesame", "User-Agent": "Regulator/1"})
    assert granted.status_code == 200 and granted.content == data
    assert "attachment" in granted.headers["content-disposition"]
    listed = (await client.get(f"/v1/exports/{done['id']}/shares", headers=headers)).json()
    assert [access["outcome"] for access in listed[0]["accesses"]] == ["passcode_required", "wrong_passcode", "granted"]
    assert listed[0]["accesses"][2]["user_agent"] == "Regulator/1" and listed[0]["has_passcode"]
    assert "url" not in listed[0]
    stored = await ExportShare.select(ExportShare.token_hash).first()
    assert path.rsplit("/", 1)[1] not in stored["token_hash"]


async def test_expired_revoked_and_withdrawn_links_are_gone(client):
    headers = await sign_up(client)
    await put_entry(client, headers)
    done, _ = await export_file(client, headers, "json")
    expiring = await _share(client, headers, done["id"], ttl_hours=1)
    revoked = await _share(client, headers, done["id"])
    kept = await _share(client, headers, done["id"])
    await ExportShare.update({ExportShare.expires_at: datetime.now(UTC) - timedelta(seconds=1)}).where(
        ExportShare.id == expiring["id"]
    )
    assert (await client.delete(f"/v1/exports/{done['id']}/shares/{revoked['id']}", headers=headers)).status_code == 204
    path = lambda share: share["url"].removeprefix("https://cpl.example.org")  # noqa: E731
    assert (await client.get(path(expiring))).status_code == 410
    assert (await client.get(path(revoked))).status_code == 410
    assert (await client.get(path(kept))).status_code == 200
    await client.post(f"/v1/exports/{done['id']}/revoke", headers=headers)
    assert (await client.get(path(kept))).status_code == 410
    assert (await client.get("/shared/not-a-token")).status_code == 404
    refused = await client.post(f"/v1/exports/{done['id']}/shares", json={}, headers=headers)
    assert refused.status_code == 410


async def test_bad_share_requests_are_refused(client):
    headers = await sign_up(client)
    await put_entry(client, headers)
    done, _ = await export_file(client, headers, "json")
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    for body in (
        {"expires_at": past},
        {"ttl_hours": 0},
        {"passcode": "123"},
        {"ttl_hours": 2, "expires_at": past},
        {"expires_at": "2030-01-01T00:00:00"},
        {"expires_at": "9999-12-31T23:59:59-14:00"},
        {"expires_at": "0001-01-01T00:00:00+14:00"},
    ):
        response = await client.post(f"/v1/exports/{done['id']}/shares", json=body, headers=headers)
        assert response.status_code == 422, (body, response.text)
    assert (await client.get(f"/v1/exports/{done['id']}/shares", headers=headers)).json() == []
