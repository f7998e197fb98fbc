"""The embedded backend: objects are files in a folder (``file:///path``, by default under ``data_dir``).

Files are written to ``.partial/`` and renamed into place, so an object is either whole or
absent. Direct uploads go to a URL served by cpl itself (:mod:`cpl.attachments.direct_upload_routes`),
authorised by an HMAC signature over the key, the exact size and the expiry time, like an
S3 presigned URL.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import shutil
import time
import uuid
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlencode

from anyio import move_on_after, to_thread

from cpl.errors import InvalidInput, NotAllowed, StorageUnavailable, TooLarge
from cpl.private_files import FILE_MODE, private_folder, write_once
from cpl.storage.base import AREAS, DirectUpload, Storage, StoredObject, check_key, is_valid_key

CHUNK_BYTES = 256 * 1024
_KEY_FILE = ".signing-key"


class LocalStorage(Storage):
    scheme = "file"

    def __init__(self, root: Path, signing_key: bytes | None = None) -> None:
        self.root = private_folder(root)
        private_folder(root / ".partial")
        self.signing_key = signing_key or _stored_signing_key(root)

    def path_of(self, key: str) -> Path:
        return self.root / check_key(key)

    async def abandon_partial_uploads(self, older_than: datetime) -> int:
        """Partial files last written before ``older_than`` (a write in progress keeps its file fresh)."""

        def remove() -> int:
            cutoff, removed = older_than.timestamp(), 0
            for path in (self.root / ".partial").iterdir():
                if path.stat().st_mtime < cutoff:
                    path.unlink(missing_ok=True)
                    removed += 1
            return removed

        return await to_thread.run_sync(remove)

    def _partial(self) -> Path:
        return self.root / ".partial" / uuid.uuid4().hex

    def _place(self, partial: Path, key: str) -> None:
        """Objects are the service's alone: files 0600 in folders 0700 (:mod:`cpl.private_files`)."""
        target = self.path_of(key)
        private_folder(target.parent)
        os.chmod(partial, FILE_MODE)
        os.replace(partial, target)

    async def put_file(self, key: str, path: Path, media_type: str) -> None:
        def copy() -> None:
            partial = self._partial()
            try:
                shutil.copyfile(path, partial)
                self._place(partial, key)
            finally:
                partial.unlink(missing_ok=True)

        await _run(copy)

    async def put_stream(self, key: str, reader: BinaryIO, size: int, media_type: str) -> None:
        def copy() -> None:
            partial = self._partial()
            try:
                with partial.open("wb") as target:
                    shutil.copyfileobj(reader, target, CHUNK_BYTES)
                if partial.stat().st_size != size:
                    raise OSError(f"expected {size} bytes, got {partial.stat().st_size}")
                self._place(partial, key)
            finally:
                partial.unlink(missing_ok=True)

        await _run(copy)

    async def download_file(self, key: str, path: Path) -> None:
        await _run(shutil.copyfile, self.path_of(key), path)

    async def copy(self, source: str, target: str) -> None:
        """A hard link: instant, and the bytes stay on disk until the last name is removed."""

        def link() -> None:
            partial = self._partial()
            try:
                os.link(self.path_of(source), partial)
                self._place(partial, target)
            finally:
                partial.unlink(missing_ok=True)

        await _run(link)

    async def delete(self, keys: Iterable[str]) -> None:
        paths = [self.path_of(key) for key in keys]
        await _run(lambda: [path.unlink(missing_ok=True) for path in paths])

    async def stat(self, key: str) -> StoredObject | None:
        path = self.path_of(key)

        def stat() -> StoredObject | None:
            try:
                info = path.stat()
            except FileNotFoundError:
                return None
            return StoredObject(key, info.st_size, datetime.fromtimestamp(info.st_mtime, UTC))

        return await _run(stat)

    async def list_objects(self) -> AsyncIterator[StoredObject]:
        for area in AREAS:
            names = await _run(_names_in, self.root / area)
            for name in names:
                key = f"{area}/{name}"
                if is_valid_key(key) and (found := await self.stat(key)) is not None:
                    yield found

    async def download_url(self, key: str, filename_header: str, media_type: str, ttl: timedelta) -> str | None:
        return None

    async def read_chunks(self, key: str) -> AsyncIterator[bytes]:
        handle = await _run(open, self.path_of(key), "rb")
        try:
            while chunk := await _run(handle.read, CHUNK_BYTES):
                yield chunk
        finally:
            await _run(handle.close)

    async def direct_upload(self, key: str, size: int, media_type: str, ttl: timedelta, base_url: str) -> DirectUpload:
        area, name = check_key(key).split("/")
        if area != "uploads":
            raise ValueError("direct uploads go to the uploads area only")
        expires = int(time.time() + ttl.total_seconds())
        query = urlencode({"size": size, "expires": expires, "signature": self.signature(key, size, expires)})
        url = f"{base_url.rstrip('/')}/v1/storage/uploads/{name}?{query}"
        return DirectUpload(method="PUT", url=url, headers={"Content-Type": media_type})

    def signature(self, key: str, size: int, expires: int) -> str:
        message = f"{key}\n{size}\n{expires}".encode()
        return hmac.new(self.signing_key, message, hashlib.sha256).hexdigest()

    def check_signature(self, key: str, size: int, expires: int, signature: str) -> None:
        """403 unless the upload URL is one this store signed and it has not expired."""
        if not hmac.compare_digest(self.signature(key, size, expires), signature):
            raise NotAllowed("This upload URL is not valid.")
        if time.time() > expires:
            raise NotAllowed("This upload URL has expired; ask for a new upload slot.")

    async def receive_direct_upload(
        self, key: str, size: int, expires: int, signature: str, chunks: AsyncIterator[bytes]
    ) -> None:
        """Store a client's direct upload if the URL is genuine, unexpired, and the body is exactly ``size`` bytes."""
        self.check_signature(key, size, expires, signature)
        partial = self._partial()
        handle = await _run(open, partial, "wb")
        try:
            received = 0
            async for chunk in chunks:
                received += len(chunk)
                if received > size:
                    raise TooLarge(f"The upload is larger than the {size} bytes declared for this slot.")
                await _run(handle.write, chunk)
            await _run(handle.close)
            if received != size:
                raise InvalidInput(f"The upload has {received} bytes; {size} were declared for this slot.")
            await _run(self._place, partial, key)
        finally:
            await _run(handle.close)
            partial.unlink(missing_ok=True)

    async def reachable(self, within: float) -> bool:
        """The folder is there and writable within ``within`` seconds (a network mount can hang)."""
        with move_on_after(within):
            return await to_thread.run_sync(self._writable, abandon_on_cancel=True)
        return False

    def _writable(self) -> bool:
        return self.root.is_dir() and os.access(self.root, os.W_OK | os.X_OK)


def _stored_signing_key(root: Path) -> bytes:
    """A random key kept beside the objects, made once; every worker process reads the same one.

    Written to a private file and hard-linked into place, so no process reads a half-written key.
    """
    return write_once(root / _KEY_FILE, secrets.token_bytes(32))


async def _run(function, *args):
    """File I/O off the event loop; a disk that fails is an unavailable store, not a 500."""
    try:
        return await to_thread.run_sync(function, *args)
    except FileNotFoundError:
        raise
    except OSError as error:
        raise StorageUnavailable(f"The file store failed: {error.strerror or error}.") from error


def _names_in(folder: Path) -> list[str]:
    """The folder's file names in order; none when the folder does not exist (yet)."""
    return sorted(os.listdir(folder)) if folder.is_dir() else []
