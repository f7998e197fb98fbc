"""Exports on an S3-compatible store over real HTTP (moto): made, downloaded from the store, verified, imported."""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile

import httpx
import pytest

from cpl.exports.offline import verify_file
from cpl.settings import Settings
from tests.attachments.helpers import fetch
from tests.exports.helpers import EXPORT_SETTINGS, jwks, start_export, wait_for, worker_record
from tests.factories import sign_up
from tests.storage.fixtures import s3_client, s3_overrides


@pytest.fixture
def settings(make_settings, s3_endpoint: str, s3_bucket: str) -> Settings:
    return make_settings(**EXPORT_SETTINGS, **s3_overrides(s3_endpoint, s3_bucket))


async def _bundle_from_the_store(client, headers, endpoint: str) -> tuple[dict, bytes]:
    """A bundle export, downloaded by following the API's redirect to a presigned URL on the store."""
    done = await wait_for(client, headers, (await start_export(client, headers, "bundle"))["id"])
    assert done["status"] == "done", done
    redirect = await client.get(done["download_url"], headers=headers, follow_redirects=False)
    assert redirect.status_code == 307, redirect.text
    location = redirect.headers["location"]
    assert location.startswith(f"{endpoint}/") and "X-Amz-Signature=" in location
    async with httpx.AsyncClient() as store:
        fetched = await store.get(location)
    assert fetched.status_code == 200 and "attachment" in fetched.headers["content-disposition"]
    return done, fetched.content


async def test_a_bundle_of_files_on_s3_is_downloaded_from_the_store_and_verifies(
    client, settings, s3_endpoint, s3_bucket, tmp_path
):
    headers = await sign_up(client)
    made = await worker_record(client, headers)
    done, data = await _bundle_from_the_store(client, headers, s3_endpoint)
    assert len(data) == done["size"] and hashlib.sha256(data).hexdigest() == done["sha256"]
    path = tmp_path / "bundle.zip"
    path.write_bytes(data)
    verdict = verify_file(path, await jwks(client))
    assert verdict.kind == "bundle" and verdict.valid, verdict.reasons
    assert verdict.export_id == done["id"]
    text, picture = made["files"]
    with zipfile.ZipFile(io.BytesIO(data)) as bundle:
        assert bundle.read(f"attachments/{text['id']}/certificate.txt") == b"certificate of attendance\n"
        stored_picture = bundle.read(f"attachments/{picture['id']}/ward.png")
    assert stored_picture == (await fetch(client, headers, f"/v1/attachments/{picture['id']}/content")).content
    keys = [item["Key"] for item in s3_client(s3_endpoint).list_objects_v2(Bucket=s3_bucket)["Contents"]]
    assert f"cpl/exports/{uuid.UUID(done['id']).hex}" in keys


async def test_a_bundle_made_on_s3_imports_into_another_account_on_s3(client, client_for, make_settings, s3_endpoint):
    source = await sign_up(client)
    made = await worker_record(client, source)
    _, data = await _bundle_from_the_store(client, source, s3_endpoint)
    other_bucket = f"cpl-import-{uuid.uuid4().hex[:12]}"
    s3_client(s3_endpoint).create_bucket(Bucket=other_bucket)
    target = await client_for(
        make_settings(public_base_url="https://other.example.org", **s3_overrides(s3_endpoint, other_bucket))
    )
    mover = await sign_up(target)
    response = await target.post("/v1/imports", content=data, headers={**mover, "Content-Type": "application/zip"})
    assert response.status_code == 200, response.text
    assert response.json()["entries_created"] == 2 and response.json()["attachments_stored"] == 2
    entries = (await target.get("/v1/evidence", headers=mover)).json()["items"]
    first = next(entry for entry in entries if entry["title"] == made["entries"][0]["title"])
    files = {
        file["filename"]: file
        for file in (await target.get(f"/v1/evidence/{first['id']}/attachments", headers=mover)).json()
    }
    copied = await fetch(target, mover, f"/v1/attachments/{files['certificate.txt']['id']}/content")
    assert copied.status_code == 200 and copied.content == b"certificate of attendance\n"
    listed = s3_client(s3_endpoint).list_objects_v2(Bucket=other_bucket)["Contents"]
    assert f"cpl/attachments/{uuid.UUID(files['certificate.txt']['id']).hex}" in {item["Key"] for item in listed}
    assert not [item["Key"] for item in listed if item["Key"].startswith("cpl/staging/")]
