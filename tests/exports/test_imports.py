"""Importing a portable record or a bundle: a worker moving between services loses nothing."""

from __future__ import annotations

import copy
import json

from tests.exports.helpers import export_file, worker_record
from tests.factories import sign_up


async def _import(client, headers, data: bytes, media_type: str):
    return await client.post("/v1/imports", content=data, headers={**headers, "Content-Type": media_type})


async def _entries(client, headers) -> list[dict]:
    return (await client.get("/v1/evidence", headers=headers)).json()["items"]


async def test_a_bundle_moves_everything_and_importing_again_changes_nothing(client, client_for, make_settings):
    source = await sign_up(client)
    made = await worker_record(client, source)
    _, bundle = await export_file(client, source, "bundle")
    target = await client_for(make_settings(public_base_url="https://other.example.org"))
    mover = await sign_up(target)
    first = await _import(target, mover, bundle, "application/zip")
    assert first.status_code == 200, first.text
    report = first.json()
    assert report["entries_created"] == 2 and report["attachments_stored"] == 2
    assert report["competence_links_added"] == 1 and report["registrations_created"] == 1
    assert report["peer_discussions_created"] == 1
    moved = {entry["id"]: entry for entry in await _entries(target, mover)}
    if report["entries_renumbered"] == 0:
        assert set(moved) == {entry["id"] for entry in made["entries"]}
    entry_id = next(key for key, entry in moved.items() if entry["title"] == made["entries"][0]["title"])
    files = (await target.get(f"/v1/evidence/{entry_id}/attachments", headers=mover)).json()
    assert {file["filename"] for file in files} == {"certificate.txt", "ward.png"}
    links = (await target.get(f"/v1/evidence/{entry_id}/competences", headers=mover)).json()["links"]
    assert [link["item"]["code"] for link in links] == [made["code"]]
    again = (await _import(target, mover, bundle, "application/zip")).json()
    assert again["entries_created"] == 0 and again["entries_unchanged"] == 2 and again["attachments_stored"] == 0
    assert again["registrations_created"] == 0 and again["competence_links_added"] == 0
    assert len(await _entries(target, mover)) == 2


async def test_ids_held_by_another_account_are_renumbered_once(client):
    source = await sign_up(client)
    await worker_record(client, source)
    _, data = await export_file(client, source, "json")
    other = await sign_up(client)
    report = (await _import(client, other, data, "application/json")).json()
    assert report["entries_created"] == 2 and report["entries_renumbered"] == 2
    assert report["attachments_not_in_upload"] == 2
    mine = {entry["id"] for entry in await _entries(client, other)}
    assert mine.isdisjoint({entry["id"] for entry in json.loads(data)["entries"]})
    again = (await _import(client, other, data, "application/json")).json()
    assert again["entries_unchanged"] == 2 and again["entries_created"] == 0
    assert len(await _entries(client, source)) == 2


async def test_a_malformed_record_is_refused_naming_the_path_and_nothing_is_imported(client):
    source = await sign_up(client)
    await worker_record(client, source)
    _, data = await export_file(client, source, "json")
    record = json.loads(data)
    target = await sign_up(client)
    broken = copy.deepcopy(record)
    broken["entries"][1]["title"] = ""
    broken["entries"][0]["duration_minutes"] = "ninety"
    response = await _import(client, target, json.dumps(broken).encode(), "application/json")
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert "entries.0.duration_minutes" in fields
    broken = copy.deepcopy(record)
    broken["entries"][1]["title"] = ""
    response = await _import(client, target, json.dumps(broken).encode(), "application/json")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "entries.1.title"
    broken = copy.deepcopy(record)
    broken["registrations"][0]["part"] = "astronaut"
    response = await _import(client, target, json.dumps(broken).encode(), "application/json")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "registrations.0.part"
    assert (await _import(client, target, b"{not json", "application/json")).status_code == 400
    assert (await _import(client, target, b"hello", "text/plain")).status_code == 415
    assert await _entries(client, target) == []
    assert (await client.get("/v1/me/registrations", headers=target)).json() == []


async def test_a_bundle_whose_file_does_not_match_the_record_is_refused(client, tmp_path):
    import zipfile

    source = await sign_up(client)
    await worker_record(client, source)
    _, data = await export_file(client, source, "bundle")
    original, altered = tmp_path / "a.zip", tmp_path / "b.zip"
    original.write_bytes(data)
    with zipfile.ZipFile(original) as bundle, zipfile.ZipFile(altered, "w") as out:
        for info in bundle.infolist():
            body = bundle.read(info)
            out.writestr(info, b"certificate of absence\n" if info.filename.endswith("certificate.txt") else body)
    target = await sign_up(client)
    response = await _import(client, target, altered.read_bytes(), "application/zip")
    assert response.status_code == 422 and response.json()["errors"][0]["field"].endswith(".sha256")
    assert await _entries(client, target) == []
