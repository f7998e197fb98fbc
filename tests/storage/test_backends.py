"""The storage contract, held by both backends: a local folder and an S3-compatible server over HTTP."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from cpl.storage import Storage, open_storage
from cpl.storage.base import check_key
from cpl.storage.local import LocalStorage
from tests.storage.fixtures import stored_keys


@pytest.fixture
async def storage(make_settings, storage_overrides):
    store = open_storage(make_settings(**storage_overrides))
    yield store
    await store.close()


def key(area: str = "staging") -> str:
    return f"{area}/{uuid.uuid4().hex}"


async def chunks_of(*parts: bytes):
    for part in parts:
        yield part


def a_file(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / uuid.uuid4().hex
    path.write_bytes(data)
    return path


async def test_put_stat_read_copy_delete(storage: Storage, tmp_path: Path) -> None:
    source, target = key("staging"), key("attachments")
    await storage.put_file(source, a_file(tmp_path, b"certificate bytes"), "text/plain")

    assert (await storage.stat(source)).size == 17
    await storage.copy(source, target)
    assert b"".join([chunk async for chunk in storage.read_chunks(target)]) == b"certificate bytes"
    copied = tmp_path / "copied"
    await storage.download_file(target, copied)
    assert copied.read_bytes() == b"certificate bytes"
    assert await stored_keys(storage) == sorted([source, target])

    await storage.delete([source, target, key()])  # a key that never existed is fine
    assert await storage.stat(source) is None
    assert await stored_keys(storage) == []


async def test_missing_objects_are_file_not_found(storage: Storage, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        await storage.copy(key(), key("attachments"))
    with pytest.raises(FileNotFoundError):
        await storage.download_file(key(), tmp_path / "nothing")


async def test_put_replaces_an_object(storage: Storage, tmp_path: Path) -> None:
    name = key()
    await storage.put_file(name, a_file(tmp_path, b"first"), "text/plain")
    await storage.put_file(name, a_file(tmp_path, b"second!"), "text/plain")
    assert (await storage.stat(name)).size == 7


async def test_download_url_is_presigned_on_s3_and_absent_locally(storage: Storage, tmp_path: Path) -> None:
    name = key("attachments")
    await storage.put_file(name, a_file(tmp_path, b"%PDF-1.7 pretend"), "application/pdf")
    url = await storage.download_url(name, 'attachment; filename="c.pdf"', "application/pdf", timedelta(seconds=30))
    if isinstance(storage, LocalStorage):
        assert url is None
        return
    async with httpx.AsyncClient() as http:
        response = await http.get(url)
    assert response.status_code == 200
    assert response.content == b"%PDF-1.7 pretend"
    assert response.headers["content-disposition"] == 'attachment; filename="c.pdf"'


async def _send_direct(storage: Storage, name: str, data: bytes, declared: int) -> None:
    direct = await storage.direct_upload(name, declared, "text/plain", timedelta(minutes=5), "http://cpl.test")
    if isinstance(storage, LocalStorage):
        query = dict(httpx.URL(direct.url).params)
        await storage.receive_direct_upload(
            name, int(query["size"]), int(query["expires"]), query["signature"], chunks_of(data)
        )
        return
    async with httpx.AsyncClient() as http:
        response = await http.post(direct.url, data=direct.fields, files={"file": ("notes.txt", data)})
    assert response.status_code == 204, response.text  # S3's answer to a POST without success_action_status


async def test_direct_upload_lands_at_its_key(storage: Storage) -> None:
    name = key("uploads")
    await _send_direct(storage, name, b"voice note", 10)
    assert (await storage.stat(name)).size == 10


@pytest.mark.parametrize(
    "bad",
    ["../etc/passwd", "attachments/../../x", "attachments/abc", "other/" + "a" * 32, "attachments/" + "A" * 32, ""],
)
def test_only_service_generated_keys_are_accepted(bad: str) -> None:
    with pytest.raises(ValueError):
        check_key(bad)


@pytest.mark.parametrize("url", ["ftp://host/x", "s3://", "file://relative/path", "file://host/abs"])
def test_unknown_storage_urls_fail_loudly(make_settings, url: str) -> None:
    with pytest.raises(ValueError):
        open_storage(make_settings(storage_url=url))
