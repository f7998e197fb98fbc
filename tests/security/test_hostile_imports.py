"""Hostile imports (issue 14): control characters, oversized files and zip bombs are refused, importing nothing."""

from __future__ import annotations

import copy
import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from cpl.settings import Settings
from tests.exports.helpers import EXPORT_SETTINGS, export_file, worker_record
from tests.factories import sign_up

CERTIFICATE = "certificate.txt"


@pytest.fixture
def settings(make_settings) -> Settings:
    return make_settings(**EXPORT_SETTINGS)


async def _import(client, headers, data: bytes, media_type: str):
    return await client.post("/v1/imports", content=data, headers={**headers, "Content-Type": media_type})


async def _nothing_imported(client, headers) -> None:
    assert (await client.get("/v1/evidence", headers=headers)).json()["items"] == []


async def _exported(client, export_format: str) -> bytes:
    source = await sign_up(client)
    await worker_record(client, source)
    return (await export_file(client, source, export_format))[1]


def _with_certificate(data: bytes, folder: Path, content: bytes) -> bytes:
    """The bundle with the text attachment replaced by ``content`` (deflated), the record saying so."""
    original, altered = folder / "original.zip", folder / "altered.zip"
    original.write_bytes(data)
    with zipfile.ZipFile(original) as bundle, zipfile.ZipFile(altered, "w") as out:
        record = json.loads(bundle.read("record.json"))
        for entry in record["entries"]:
            for attachment in entry["attachments"]:
                if attachment["filename"] == CERTIFICATE:
                    attachment.update(sha256=hashlib.sha256(content).hexdigest(), size=len(content))
        for info in bundle.infolist():
            if info.filename.endswith(CERTIFICATE):
                out.writestr(info.filename, content, zipfile.ZIP_DEFLATED)
            elif info.filename == "record.json":
                out.writestr(info, json.dumps(record).encode())
            else:
                out.writestr(info, bundle.read(info))
    return altered.read_bytes()


async def test_a_nul_in_an_imported_framework_identifier_is_422_naming_it(client):
    record = json.loads(await _exported(client, "json"))
    broken = copy.deepcopy(record)
    broken["frameworks"][0]["identifier"] += "\u0000"
    target = await sign_up(client)
    response = await _import(client, target, json.dumps(broken).encode(), "application/json")
    assert response.status_code == 422, response.text
    assert "frameworks.0.identifier" in {error["field"] for error in response.json()["errors"]}
    await _nothing_imported(client, target)


async def test_a_control_character_anywhere_in_a_record_is_refused(client):
    record = json.loads(await _exported(client, "json"))
    broken = copy.deepcopy(record)
    broken["entries"][0]["attachments"][0]["filename"] = "evil\u0007.txt"
    target = await sign_up(client)
    response = await _import(client, target, json.dumps(broken).encode(), "application/json")
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "entries.0.attachments.0.filename"
    await _nothing_imported(client, target)


async def test_an_attachment_over_the_size_limit_is_413_and_nothing_is_stored(client, tmp_path):
    bundle = _with_certificate(await _exported(client, "bundle"), tmp_path, b"a" * 60_000_000)
    assert len(bundle) < 1_000_000
    target = await sign_up(client)
    response = await _import(client, target, bundle, "application/zip")
    assert response.status_code == 413, response.text
    assert "26,214,400" in response.json()["detail"]
    await _nothing_imported(client, target)


async def test_a_zip_bomb_under_the_size_limit_is_413(client, tmp_path):
    bundle = _with_certificate(await _exported(client, "bundle"), tmp_path, b"\n" * 20_000_000)
    target = await sign_up(client)
    response = await _import(client, target, bundle, "application/zip")
    assert response.status_code == 413, response.text
    assert "zip bomb" in response.json()["detail"]
    await _nothing_imported(client, target)


async def test_a_bundle_over_the_workers_quota_is_413_before_anything_is_stored(client, client_for, make_settings):
    bundle = await _exported(client, "bundle")
    small_quota = await client_for(make_settings(**EXPORT_SETTINGS, attachment_quota_bytes=1_000))
    target = await sign_up(small_quota)
    response = await _import(small_quota, target, bundle, "application/zip")
    assert response.status_code == 413, response.text
    assert "quota" in response.json()["detail"]
    await _nothing_imported(small_quota, target)
