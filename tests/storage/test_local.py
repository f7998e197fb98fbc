"""The local backend's signed upload URLs and its files on disk."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest

from cpl.errors import InvalidInput, NotAllowed, TooLarge
from cpl.storage.local import LocalStorage


async def chunks_of(*parts: bytes):
    for part in parts:
        yield part


@pytest.fixture
def local(tmp_path: Path) -> LocalStorage:
    return LocalStorage(tmp_path / "store")


def upload_key() -> str:
    return f"uploads/{uuid.uuid4().hex}"


async def test_a_signed_url_stores_exactly_the_declared_bytes(local: LocalStorage) -> None:
    key, expires = upload_key(), int(time.time()) + 60
    await local.receive_direct_upload(key, 6, expires, local.signature(key, 6, expires), chunks_of(b"abc", b"def"))
    assert local.path_of(key).read_bytes() == b"abcdef"


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"signature": "0" * 64}, NotAllowed),
        ({"size": 7}, NotAllowed),  # the size is part of what is signed
        ({"key": f"uploads/{uuid.uuid4().hex}"}, NotAllowed),
    ],
)
async def test_a_tampered_url_is_refused(local: LocalStorage, change: dict, error: type) -> None:
    key, expires = upload_key(), int(time.time()) + 60
    request = {"key": key, "size": 6, "expires": expires, "signature": local.signature(key, 6, expires), **change}
    with pytest.raises(error):
        await local.receive_direct_upload(chunks=chunks_of(b"abcdef"), **request)
    assert list((local.root / "uploads").glob("*")) == [] if (local.root / "uploads").exists() else True


async def test_an_expired_url_is_refused(local: LocalStorage) -> None:
    key, expires = upload_key(), int(time.time()) - 1
    with pytest.raises(NotAllowed):
        await local.receive_direct_upload(key, 3, expires, local.signature(key, 3, expires), chunks_of(b"abc"))


@pytest.mark.parametrize(("body", "error"), [((b"abc", b"defg"), TooLarge), ((b"abc",), InvalidInput)])
async def test_a_body_of_another_size_leaves_nothing(local: LocalStorage, body: tuple, error: type) -> None:
    key, expires = upload_key(), int(time.time()) + 60
    with pytest.raises(error):
        await local.receive_direct_upload(key, 6, expires, local.signature(key, 6, expires), chunks_of(*body))
    assert not local.path_of(key).exists()
    assert list((local.root / ".partial").iterdir()) == []


def test_the_signing_key_is_made_once_and_kept(tmp_path: Path) -> None:
    first = LocalStorage(tmp_path / "store")
    second = LocalStorage(tmp_path / "store")
    assert first.signing_key == second.signing_key and len(first.signing_key) == 32
    assert (tmp_path / "store" / ".signing-key").stat().st_mode & 0o077 == 0
