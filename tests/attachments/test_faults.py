"""When the object store is down, hangs, or fails mid-upload, the API answers 503, the entry is
unharmed, nothing is left half-done, and the same upload succeeds once the store is back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit
from uuid import UUID

import pytest

from cpl.attachments.cleanup import promote_staged, sweep_garbage
from cpl.attachments.ingest import promote
from cpl.attachments.tables import Attachment
from cpl.storage import open_storage
from tests.attachments import corpus
from tests.attachments.helpers import attachments_of, fetch, spool_files, upload
from tests.factories import put_entry, sign_up
from tests.storage.fixtures import s3_client, s3_overrides
from tests.storage.servers import CuttingProxy, free_port, silent_server


@pytest.fixture
def proxy(s3_endpoint: str) -> Iterator[CuttingProxy]:
    cutting = CuttingProxy(urlsplit(s3_endpoint).port)
    yield cutting
    cutting.close()


async def start(client_for, make_settings, endpoint: str, bucket: str, **extra):
    settings = make_settings(**{**s3_overrides(endpoint, bucket), **extra})
    api = await client_for(settings)
    headers = await sign_up(api)
    entry = await put_entry(api, headers)
    return api, headers, entry, settings


async def assert_unharmed(api, headers, entry) -> None:
    response = await api.get(f"/v1/evidence/{entry['id']}", headers=headers)
    assert response.status_code == 200
    assert response.json() == entry
    assert await attachments_of(api, headers, entry["id"]) == []


async def test_a_stopped_store_is_503_and_the_entry_is_unharmed(client_for, make_settings) -> None:
    api, headers, entry, settings = await start(
        client_for, make_settings, f"http://127.0.0.1:{free_port()}", "cpl-gone"
    )
    response = await upload(api, headers, entry["id"], corpus.jpeg())
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert "try again" in response.json()["detail"]
    await assert_unharmed(api, headers, entry)
    assert spool_files(settings) == []


async def test_a_store_that_never_answers_is_503_within_the_timeout(client_for, make_settings) -> None:
    with silent_server() as endpoint:
        api, headers, entry, _ = await start(
            client_for, make_settings, endpoint, "cpl-silent", storage_read_timeout_seconds=0.5
        )
        response = await upload(api, headers, entry["id"], corpus.pdf())
        assert response.status_code == 503
        await assert_unharmed(api, headers, entry)
        slot = {"entry_id": entry["id"], "size": 10, "sha256": "0" * 64, "media_type": "text/plain"}
        opened = await api.post("/v1/uploads", json=slot, headers=headers)
        assert opened.status_code == 201  # presigning needs no round trip to the store
        assert (await api.post(opened.json()["complete_url"], headers=headers)).status_code == 503


async def test_an_upload_cut_off_midway_can_be_retried(
    client_for, make_settings, proxy, s3_bucket, s3_endpoint
) -> None:
    api, headers, entry, _ = await start(client_for, make_settings, proxy.url, s3_bucket)
    recording = corpus.wav(frames=200_000)  # 400 kB
    proxy.cut_after = 100_000

    failed = await upload(api, headers, entry["id"], recording, "voice-note.wav", raw=True)
    assert failed.status_code == 503, failed.text
    await assert_unharmed(api, headers, entry)
    assert s3_client(s3_endpoint).list_objects_v2(Bucket=s3_bucket).get("KeyCount", 0) == 0

    proxy.cut_after = None
    retried = await upload(api, headers, entry["id"], recording, "voice-note.wav", raw=True)
    assert retried.status_code == 201, retried.text
    assert [item["id"] for item in await attachments_of(api, headers, entry["id"])] == [retried.json()["id"]]


async def test_files_let_go_while_the_store_is_down_are_deleted_later(
    client_for, make_settings, proxy, s3_bucket, s3_endpoint
) -> None:
    api, headers, entry, settings = await start(client_for, make_settings, proxy.url, s3_bucket)
    attachment = (await upload(api, headers, entry["id"], corpus.pdf(), "c.pdf")).json()
    proxy.cut_after = 0
    unlinked = await api.delete(f"/v1/evidence/{entry['id']}/attachments/{attachment['id']}", headers=headers)
    assert unlinked.status_code == 204  # the record is updated; the object waits in the queue
    proxy.cut_after = None
    assert await sweep_garbage(open_storage(settings)) == 1
    assert s3_client(s3_endpoint).list_objects_v2(Bucket=s3_bucket).get("KeyCount", 0) == 0


async def test_a_promotion_the_store_refused_is_finished_later(
    client_for, make_settings, proxy, s3_bucket, s3_endpoint
) -> None:
    """The row keeps pointing at the staged object until the store is back; then the first reader
    promotes it before reading (so no promotion deletes a file under a reader), or maintenance does."""
    api, headers, entry, settings = await start(client_for, make_settings, proxy.url, s3_bucket)
    certificate = corpus.pdf()
    attachment = (await upload(api, headers, entry["id"], certificate, "c.pdf")).json()
    store, name = open_storage(settings), UUID(attachment["id"]).hex
    await store.copy(f"attachments/{name}", f"staging/{name}")
    await store.delete([f"attachments/{name}"])
    await Attachment.update({Attachment.state: "staged", Attachment.object_key: f"staging/{name}"}).where(
        Attachment.id == attachment["id"]
    )
    row = await Attachment.select().where(Attachment.id == attachment["id"]).first()

    proxy.cut_after = 0
    assert (await promote(store, row))["state"] == "staged"  # the store failed: nothing changed
    proxy.cut_after = None
    assert (await fetch(api, headers, attachment["content_url"])).content == certificate

    assert await promote_staged(store, datetime.now(UTC) + timedelta(seconds=1)) == 0  # the download promoted it
    row = await Attachment.select().where(Attachment.id == attachment["id"]).first()
    assert (row["state"], row["object_key"]) == ("stored", f"attachments/{name}")
    keys = [item["Key"] for item in s3_client(s3_endpoint).list_objects_v2(Bucket=s3_bucket).get("Contents", [])]
    assert keys == [f"cpl/attachments/{name}"]
    assert (await fetch(api, headers, attachment["content_url"])).content == certificate
