"""JSON and CSV exports: the portable record, its schema, selections and what is refused."""

from __future__ import annotations

import csv
import hashlib
import io

from tests.attachments import corpus
from tests.exports.helpers import (
    attach,
    check_against_schema,
    export_file,
    loads,
    start_export,
    wait_for,
    worker_record,
)
from tests.factories import put_entry, sign_up


async def test_a_json_export_is_the_whole_record_and_matches_the_published_schema(client):
    headers = await sign_up(client)
    made = await worker_record(client, headers)
    photo = await attach(client, headers, made["entries"][1]["id"], corpus.jpeg(gps=True), "ward round.jpg")
    started = await start_export(client, headers, "json")
    assert started["status"] == "queued" and started["download_url"] is None
    done, data = await export_file(client, headers, "json")
    record = loads(data)
    await check_against_schema(client, record)
    assert done["sha256"] == hashlib.sha256(data).hexdigest() and done["size"] == len(data)
    assert done["progress"]["done"] == done["progress"]["total"] >= 3
    assert record["format"] == "cpl-portable-record" and record["format_version"] == 1
    assert record["$schema"] == "https://cpl.example.org/v1/schemas/portable-record-1.json"
    assert record["export"]["id"] == done["id"] and record["export"]["issuer"]["did"].startswith("did:web:")
    assert [entry["id"] for entry in record["entries"]] == [entry["id"] for entry in made["entries"]]
    first = record["entries"][0]
    assert first["competences"][0]["code"] == made["code"]
    assert first["peer_discussion"]["pin"] == "98Y1234E"
    assert {file["filename"] for file in first["attachments"]} == {"certificate.txt", "ward.png"}
    text = next(file for file in first["attachments"] if file["filename"] == "certificate.txt")
    assert text["sha256"] == hashlib.sha256(b"certificate of attendance\n").hexdigest()
    assert text["bundle_path"] == f"attachments/{text['id']}/certificate.txt"
    [picture] = record["entries"][1]["attachments"]
    served = await client.get(photo["content_url"], headers=headers, follow_redirects=True)
    assert served.status_code == 200
    assert picture["sha256"] == photo["stored_sha256"] == hashlib.sha256(served.content).hexdigest()
    assert picture["size"] == photo["stored_size"] == len(served.content)
    assert photo["sha256"] != photo["stored_sha256"]  # re-encoded: the upload's digest would not check
    assert record["frameworks"][0]["items"] == [
        {
            "id": made["item"]["id"],
            "code": made["code"],
            "title": record["frameworks"][0]["items"][0]["title"],
            "uri": record["frameworks"][0]["items"][0]["uri"],
        }
    ]
    registration = record["registrations"][0]
    assert registration["register"] == "nmc" and registration["progress"]["pack"]["register"] == "nmc"


async def test_a_selection_narrows_the_record(client):
    headers = await sign_up(client)
    made = await worker_record(client, headers)
    _, data = await export_file(client, headers, "json", period={"from": "2025-04-01", "to": None})
    assert [entry["id"] for entry in loads(data)["entries"]] == [made["entries"][1]["id"]]
    framework = made["framework"]["id"]
    _, data = await export_file(client, headers, "json", framework_ids=[framework])
    assert [entry["id"] for entry in loads(data)["entries"]] == [made["entries"][0]["id"]]
    _, data = await export_file(client, headers, "json", entry_ids=[made["entries"][1]["id"]])
    assert [entry["id"] for entry in loads(data)["entries"]] == [made["entries"][1]["id"]]
    _, data = await export_file(client, headers, "json", registration_id=made["registration"]["id"])
    record = loads(data)
    assert record["period"] == {"from": "2024-01-01", "to": "2027-01-01"}
    assert [row["id"] for row in record["registrations"]] == [made["registration"]["id"]]


async def test_a_csv_export_has_a_row_per_entry_and_no_formulas(client):
    headers = await sign_up(client)
    made = await worker_record(client, headers)
    done, data = await export_file(client, headers, "csv")
    download = await client.get(done["download_url"], headers=headers)
    assert download.headers["content-type"] == "text/csv; charset=utf-8"
    assert data.startswith(b"id,occurred_on,")  # plain UTF-8 for scripts: no byte-order mark by default
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert [row["id"] for row in rows] == [entry["id"] for entry in made["entries"]]
    assert rows[0]["title"] == '\'=HYPERLINK("http://evil")'
    assert rows[0]["hours"] == "1.50" and "certificate.txt" in rows[0]["attachments"]
    assert done["sha256"] == hashlib.sha256(data).hexdigest()


async def test_a_csv_export_for_spreadsheets_starts_with_a_byte_order_mark_when_asked(client):
    headers = await sign_up(client)
    await put_entry(client, headers, title="Café visit")
    started = await client.post("/v1/exports", json={"format": "csv", "options": {"bom": True}}, headers=headers)
    assert started.status_code == 202 and started.json()["options"] == {"bom": True, "credential_form": "json"}
    plain_done, plain = await export_file(client, headers, "csv")
    done = await wait_for(client, headers, started.json()["id"])
    data = (await client.get(done["download_url"], headers=headers)).content
    assert data == b"\xef\xbb\xbf" + plain
    assert "Café visit" in data.decode("utf-8-sig")
    # A file with a BOM is not the same export as one without: neither supersedes the other.
    for export_id in (plain_done["id"], done["id"]):
        assert (await client.get(f"/v1/exports/{export_id}", headers=headers)).json()["superseded_by"] is None


async def test_bad_requests_are_refused_naming_the_field_and_queue_nothing(client):
    headers = await sign_up(client)
    other = await sign_up(client)
    theirs = await put_entry(client, other)
    bodies = {
        "format": {"format": "docx"},
        "selection.entry_ids": {"format": "json", "selection": {"entry_ids": [theirs["id"]]}},
        "selection.registration_id": {"format": "json", "selection": {"registration_id": theirs["id"]}},
        "selection.framework_ids": {"format": "json", "selection": {"framework_ids": [theirs["id"]]}},
        "selection.period": {"format": "json", "selection": {"period": {"from": "2025-02-01", "to": "2025-01-01"}}},
        "selection.colour": {"format": "json", "selection": {"colour": "red"}},
        "options.bom": {"format": "csv", "options": {"bom": "yes"}},
        "options.credential_form": {"format": "credential", "options": {"credential_form": "xml"}},
        "options": {"format": "json", "options": {"bom": True}},
        "options ": {"format": "csv", "options": {"credential_form": "jwt"}},
    }
    for field, body in bodies.items():
        response = await client.post("/v1/exports", json=body, headers=headers)
        assert response.status_code == 422, (field, response.text)
        named = field.strip()
        assert any(error["field"].startswith(named) for error in response.json()["errors"]), (field, response.json())
    assert (await client.get("/v1/exports", headers=headers)).json()["items"] == []


async def test_someone_elses_export_is_not_found(client):
    owner = await sign_up(client)
    stranger = await sign_up(client)
    await put_entry(client, owner)
    done, _ = await export_file(client, owner, "json")
    for path in ("", "/download", "/shares"):
        assert (await client.get(f"/v1/exports/{done['id']}{path}", headers=stranger)).status_code == 404
    assert (await client.post(f"/v1/exports/{done['id']}/revoke", headers=stranger)).status_code == 404
    assert (await client.get(f"/verify/{done['id']}", headers={"Accept": "application/json"})).json()[
        "status"
    ] == "valid"


async def test_the_schema_is_public(client):
    response = await client.get("/v1/schemas/portable-record-1.json")
    assert response.status_code == 200
    assert response.json()["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert response.json()["$id"] == "https://cpl.example.org/v1/schemas/portable-record-1.json"
