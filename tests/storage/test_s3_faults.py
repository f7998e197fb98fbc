"""An S3 store that is down or hangs turns into StorageUnavailable within the configured timeouts."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from cpl.errors import StorageUnavailable
from cpl.storage import open_storage
from tests.storage.fixtures import s3_overrides
from tests.storage.servers import free_port, silent_server


async def _every_call_fails(storage, tmp_path: Path) -> None:
    path = tmp_path / "file"
    path.write_bytes(b"x" * 1000)
    key = f"staging/{uuid.uuid4().hex}"
    with pytest.raises(StorageUnavailable):
        await storage.put_file(key, path, "text/plain")
    with pytest.raises(StorageUnavailable):
        await storage.stat(key)
    with pytest.raises(StorageUnavailable):
        await storage.copy(key, f"attachments/{uuid.uuid4().hex}")
    with pytest.raises(StorageUnavailable):
        await storage.delete([key])
    with pytest.raises(StorageUnavailable):
        [found async for found in storage.list_objects()]


async def test_a_stopped_server(make_settings, tmp_path: Path) -> None:
    settings = make_settings(**s3_overrides(f"http://127.0.0.1:{free_port()}", "cpl-gone"))
    await _every_call_fails(open_storage(settings), tmp_path)


async def test_a_server_that_never_answers(make_settings, tmp_path: Path) -> None:
    with silent_server() as endpoint:
        overrides = {**s3_overrides(endpoint, "cpl-silent"), "storage_read_timeout_seconds": 0.5}
        await _every_call_fails(open_storage(make_settings(**overrides)), tmp_path)


async def test_a_missing_bucket_is_unavailable_not_a_crash(make_settings, s3_endpoint: str, tmp_path: Path) -> None:
    storage = open_storage(make_settings(**s3_overrides(s3_endpoint, f"cpl-none-{uuid.uuid4().hex[:8]}")))
    path = tmp_path / "file"
    path.write_bytes(b"x")
    with pytest.raises(StorageUnavailable):
        await storage.put_file(f"staging/{uuid.uuid4().hex}", path, "text/plain")
