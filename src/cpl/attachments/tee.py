"""Sending a file to its staging key while it is still arriving.

Files stored byte for byte (PDF, text, audio — not images, which are re-encoded first)
whose size is known up front (a raw body with ``Content-Length``) go to the store in one
PUT that reads the spool file as it grows: receiving and uploading overlap instead of
following each other. The memory used stays flat: the PUT reads from the file on disk.

Nothing is decided by the early upload: the file is checked in full afterwards exactly as
any other, and a refused, duplicate or abandoned file's staging object is deleted (and, if
even that fails, it is a staging orphan that reconciliation removes).
"""

from __future__ import annotations

import asyncio
import io
import threading
import uuid
from contextlib import suppress
from pathlib import Path
from typing import BinaryIO

from cpl.attachments.sniff import FileType
from cpl.errors import StorageUnavailable
from cpl.storage import Storage


class GrowingFile(io.RawIOBase):
    """A reader of a file another task is still writing: a read waits until there is more, or the end."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self._path = path
        self._handle: BinaryIO | None = None  # opened by the reading thread, off the event loop
        self._position = 0
        self._available = 0
        self._state = "writing"
        self._changed = threading.Condition()

    def readable(self) -> bool:
        return True

    def grew(self, available: int) -> None:
        with self._changed:
            self._available = available
            self._changed.notify_all()

    def end(self, complete: bool) -> None:
        with self._changed:
            self._state = "complete" if complete else "abandoned"
            self._changed.notify_all()

    def read(self, size: int = -1) -> bytes:
        with self._changed:
            while self._position >= self._available and self._state == "writing":
                self._changed.wait()
            if self._state == "abandoned":
                raise OSError("the upload was abandoned")
            ready = self._available - self._position
        if self._handle is None:
            self._handle = self._path.open("rb")
        data = self._handle.read(ready if size is None or size < 0 else min(size, ready))
        self._position += len(data)
        return data

    def readinto(self, buffer) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def tell(self) -> int:
        return self._position

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
        super().close()


class StagingTee:
    """Follows a spool file into ``staging/<id>`` while it is written (see the module docstring)."""

    def __init__(self, storage: Storage, size: int) -> None:
        self.storage = storage
        self.size = size
        self.key = f"staging/{uuid.uuid4().hex}"
        self._reader: GrowingFile | None = None
        self._upload: asyncio.Task[None] | None = None

    def start(self, path: Path, kind: FileType) -> None:
        """Begin the PUT, for types stored byte for byte."""
        if kind.family == "image":
            return
        self._reader = GrowingFile(path)
        self._upload = asyncio.ensure_future(
            self.storage.put_stream(self.key, self._reader, self.size, kind.media_type)
        )

    def grew(self, written: int) -> None:
        """Let the PUT read up to ``written`` bytes; if the store has already failed, fail now (503)."""
        if self._reader is None or self._upload is None:
            return
        if self._upload.done() and self._upload.exception() is not None:
            raise StorageUnavailable("The file store is not answering; try again later.") from self._upload.exception()
        self._reader.grew(written)

    async def finish(self) -> str | None:
        """Wait for the PUT; the staging key now holds the whole file (None when nothing was sent early)."""
        if self._reader is None or self._upload is None:
            return None
        self._reader.end(complete=True)
        try:
            await self._upload
        except StorageUnavailable:
            raise
        except Exception as error:  # the PUT broke off while reading the body
            raise StorageUnavailable("The file store did not take the file; try again later.") from error
        finally:
            self._reader.close()
        return self.key

    async def abandon(self) -> None:
        """Stop the PUT and remove whatever it stored."""
        if self._reader is None or self._upload is None:
            return
        self._reader.end(complete=False)
        with suppress(Exception):
            await self._upload
        self._reader.close()
        with suppress(StorageUnavailable):
            await self.storage.delete([self.key])
