"""An S3-compatible store that stalls, or cuts a download mid-body: 503 within the deadline, not
a 500 or a 30-second hang; stalled uploads keep to the store's own threads, so logins carry on;
and no reader loses a file to a promotion running beside it. The faults come from a proxy in
front of moto's S3 server."""

from __future__ import annotations

import asyncio
import hashlib
import io
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit
from uuid import UUID

import httpx
import pytest

from cpl.attachments.cleanup import promote_staged
from cpl.attachments.tables import Attachment
from cpl.storage import open_storage
from tests.attachments import corpus
from tests.attachments.helpers import attachments_of, spool_files, upload
from tests.exports.helpers import EXPORT_SETTINGS, start_export, wait_for
from tests.factories import PASSWORD, put_entry, sign_up
from tests.faults.proxy import FaultProxy
from tests.storage.fixtures import s3_overrides

#: Only there so that a regression fails instead of hanging the suite.
GUARD_SECONDS = 120
#: What a production store's attempts cost today: a stall is bounded by the total deadline instead.
PATIENT = {"storage_read_timeout_seconds": 30.0, "storage_max_attempts": 3}


@pytest.fixture
def store_proxy(s3_endpoint: str) -> Iterator[FaultProxy]:
    with FaultProxy("127.0.0.1", urlsplit(s3_endpoint).port or 80) as proxy:
        yield proxy


async def _worker(client_for, make_settings, proxy: FaultProxy, bucket: str, **extra):
    settings = make_settings(**{**s3_overrides(proxy.url, bucket), **extra})
    api = await client_for(settings)
    headers = await sign_up(api)
    entry = await put_entry(api, headers)
    return api, headers, entry, settings


async def test_a_stalled_store_is_503_within_the_deadline_and_ready_says_why(
    client_for, make_settings, store_proxy, s3_bucket
) -> None:
    api, headers, entry, _ = await _worker(
        client_for, make_settings, store_proxy, s3_bucket, storage_operation_timeout_seconds=1.0, **PATIENT
    )
    store_proxy.set_mode("stall")
    stalled = await asyncio.wait_for(upload(api, headers, entry["id"], corpus.pdf(), "c.pdf"), GUARD_SECONDS)
    assert stalled.status_code == 503, stalled.text
    assert stalled.headers["content-type"] == "application/problem+json"
    ready = await asyncio.wait_for(api.get("/health/ready"), GUARD_SECONDS)
    assert ready.status_code == 503
    assert ready.json() == {"status": "unavailable", "database": "reachable", "storage": "unreachable"}

    store_proxy.set_mode("pass")
    assert (await upload(api, headers, entry["id"], corpus.pdf(), "c.pdf")).status_code == 201
    assert (await api.get("/health/ready")).status_code == 200


async def test_logins_are_served_while_uploads_hang_on_a_stalled_store(
    client_for, make_settings, store_proxy, s3_bucket
) -> None:
    """More uploads hang than the shared thread pool has threads (40): a login still gets one."""
    api, headers, entry, settings = await _worker(
        client_for, make_settings, store_proxy, s3_bucket, storage_threads=2, **PATIENT
    )
    email = "patient@example.org"
    await sign_up(api, email)
    store_proxy.set_mode("stall")
    notes = [f"note {number}\n".encode() * 200 for number in range(45)]
    uploads = [
        asyncio.create_task(upload(api, headers, entry["id"], note, f"n{i}.txt")) for i, note in enumerate(notes)
    ]
    for _ in range(GUARD_SECONDS * 10):  # every upload received and waiting on the store
        if len(spool_files(settings)) == len(notes):
            break
        await asyncio.sleep(0.1)
    assert len(spool_files(settings)) == len(notes)

    login = await asyncio.wait_for(
        api.post("/v1/auth/login", json={"email": email, "password": PASSWORD}), GUARD_SECONDS
    )
    assert login.status_code == 200, login.text
    assert not any(task.done() for task in uploads)  # the store still holds them all

    store_proxy.set_mode("pass")
    assert [(await task).status_code for task in uploads] == [201] * len(notes)


async def test_a_download_cut_mid_body_while_completing_a_slot_is_503(
    client_for, make_settings, store_proxy, s3_bucket
) -> None:
    api, headers, entry, _ = await _worker(client_for, make_settings, store_proxy, s3_bucket)
    data = corpus.pdf() + b"%" * 200_000
    slot_request = {
        "entry_id": entry["id"],
        "filename": "certificate.pdf",
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "media_type": "application/pdf",
    }
    slot = (await api.post("/v1/uploads", json=slot_request, headers=headers)).json()
    async with httpx.AsyncClient() as store:
        form = slot["upload"]
        assert (await store.post(form["url"], data=form["fields"], files={"file": ("f", data)})).status_code == 204

    store_proxy.set_mode("cut", cut_after=4000)
    cut = await asyncio.wait_for(api.post(slot["complete_url"], headers=headers), GUARD_SECONDS)
    assert cut.status_code == 503, cut.text
    store_proxy.set_mode("pass")
    assert (await api.post(slot["complete_url"], headers=headers)).status_code == 201


async def _staged(settings, attachment: dict) -> str:
    """Put the attachment back as an upload leaves it before promotion: on its staging key."""
    store, name = open_storage(settings), UUID(attachment["id"]).hex
    await store.copy(f"attachments/{name}", f"staging/{name}")
    await store.delete([f"attachments/{name}"])
    await Attachment.update({Attachment.state: "staged", Attachment.object_key: f"staging/{name}"}).where(
        Attachment.id == attachment["id"]
    )
    return name


async def test_a_download_link_outlives_the_promotion_of_its_file(
    client_for, make_settings, store_proxy, s3_bucket
) -> None:
    api, headers, entry, settings = await _worker(client_for, make_settings, store_proxy, s3_bucket)
    certificate = corpus.pdf()
    attachment = (await upload(api, headers, entry["id"], certificate, "c.pdf")).json()
    name = await _staged(settings, attachment)

    redirect = await api.get(attachment["content_url"], headers=headers, follow_redirects=False)
    assert redirect.status_code == 307
    await promote_staged(open_storage(settings), datetime.now(UTC) + timedelta(seconds=1))  # maintenance runs
    async with httpx.AsyncClient() as store:
        fetched = await store.get(redirect.headers["location"])
    assert fetched.status_code == 200 and fetched.content == certificate
    row = await Attachment.select(Attachment.state, Attachment.object_key).where(Attachment.id == attachment["id"])
    assert row == [{"state": "stored", "object_key": f"attachments/{name}"}]


async def test_a_bundle_export_reads_a_file_being_promoted(client_for, make_settings, store_proxy, s3_bucket) -> None:
    api, headers, entry, settings = await _worker(client_for, make_settings, store_proxy, s3_bucket, **EXPORT_SETTINGS)
    certificate = corpus.pdf()
    attachment = (await upload(api, headers, entry["id"], certificate, "c.pdf")).json()
    name = await _staged(settings, attachment)

    done = await wait_for(api, headers, (await start_export(api, headers, "bundle"))["id"])
    assert done["status"] == "done", done
    redirect = await api.get(done["download_url"], headers=headers, follow_redirects=False)
    async with httpx.AsyncClient() as store:
        bundle = zipfile.ZipFile(io.BytesIO((await store.get(redirect.headers["location"])).content))
    assert [bundle.read(name) for name in bundle.namelist() if name.endswith("/c.pdf")] == [certificate]
    assert [row["id"] for row in await attachments_of(api, headers, entry["id"])] == [attachment["id"]]
    # The export promoted the file before reading it: no promotion can delete what it reads.
    row = await Attachment.select(Attachment.state, Attachment.object_key).where(Attachment.id == attachment["id"])
    assert row == [{"state": "stored", "object_key": f"attachments/{name}"}]
