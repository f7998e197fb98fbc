"""Receiving a file: streamed to a spool file on disk as it arrives, so memory stays flat.

While the bytes arrive they are counted (over the size limit: 413 at once), hashed
(SHA-256) and, from the first 64 bytes, sniffed (not an accepted type: 415 at once). The
spool file is written in 1 MiB batches from a worker thread. A multipart body is parsed
incrementally and only its ``file`` part is spooled.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import BinaryIO

from anyio import to_thread
from multipart import MultipartSegment, ParserError, ParserLimitReached, PushMultipartParser

from cpl.attachments.sniff import SNIFF_BYTES, FileType, sniff
from cpl.attachments.tee import StagingTee
from cpl.errors import InvalidInput, MalformedRequest, TooLarge
from cpl.private_files import private_folder
from cpl.settings import Settings
from cpl.work_folders import SPOOL

FLUSH_BYTES = 1024 * 1024
#: Room for the multipart boundaries, part headers and small fields around the file itself.
MULTIPART_OVERHEAD = 64 * 1024


async def spool_directory(settings: Settings) -> Path:
    """Where files wait while they are checked: ``data_dir/spool`` (on disk, never in memory)."""
    return await to_thread.run_sync(private_folder, settings.data_dir / SPOOL)


async def discard(path: Path | None) -> None:
    if path is not None:
        await to_thread.run_sync(partial(path.unlink, missing_ok=True))


@dataclass(frozen=True)
class Spooled:
    """A received file: where it is on disk, its size, its SHA-256 and what its bytes say it is."""

    path: Path
    size: int
    sha256: str
    kind: FileType
    #: Set when the bytes were already sent to this staging key while they arrived.
    staged_key: str | None = None


class _Digest:
    """Counts, hashes and sniffs bytes as they pass."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.hash = hashlib.sha256()
        self.head = b""
        self.kind: FileType | None = None

    def count(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.max_bytes:
            raise TooLarge(f"The file is larger than the {self.max_bytes:,}-byte limit.")
        if self.kind is None and len(self.head) < SNIFF_BYTES:
            self.head += chunk[: SNIFF_BYTES - len(self.head)]
            if len(self.head) == SNIFF_BYTES:
                self.kind = sniff(self.head, complete=False)

    def finish(self, path: Path) -> Spooled:
        if self.size == 0:
            raise InvalidInput("The file is empty.")
        kind = self.kind or sniff(self.head, complete=True)
        return Spooled(path, self.size, self.hash.hexdigest(), kind)


def _write(handle: BinaryIO, digest: _Digest, data: bytearray) -> None:
    digest.hash.update(data)
    handle.write(data)
    handle.flush()  # a StagingTee reads the file through another handle


async def spool(
    chunks: AsyncIterator[bytes], directory: Path, max_bytes: int, tee: StagingTee | None = None
) -> Spooled:
    """Write the chunks to a new file in ``directory``; on any refusal or failure the file is removed.

    With a ``tee``, the file also goes to its staging key as it is written (:mod:`cpl.attachments.tee`).
    """
    path = directory / f"{uuid.uuid4().hex}.upload"
    handle = await to_thread.run_sync(open, path, "xb")
    digest, pending, written = _Digest(max_bytes), bytearray(), 0
    try:
        async for chunk in chunks:
            known = digest.kind is not None
            digest.count(chunk)
            if tee and not known and digest.kind is not None:
                tee.start(path, digest.kind)
            pending += chunk
            if len(pending) >= FLUSH_BYTES:
                written = await _flush(handle, digest, pending, written, tee)
        await _flush(handle, digest, pending, written, tee)
        await to_thread.run_sync(handle.close)
        spooled = digest.finish(path)
        staged_key = await tee.finish() if tee else None
        return Spooled(spooled.path, spooled.size, spooled.sha256, spooled.kind, staged_key)
    except BaseException:
        await to_thread.run_sync(handle.close)
        if tee:
            await tee.abandon()
        await discard(path)
        raise


async def _flush(handle: BinaryIO, digest: _Digest, pending: bytearray, written: int, tee: StagingTee | None) -> int:
    await to_thread.run_sync(_write, handle, digest, pending)
    written += len(pending)
    pending.clear()
    if tee:
        tee.grew(written)
    return written


def describe(path: Path, max_bytes: int) -> Spooled:
    """Measure, hash and sniff a file already on disk (blocking: run it in a thread)."""
    digest = _Digest(max_bytes)
    with path.open("rb") as handle:
        while chunk := handle.read(FLUSH_BYTES):
            digest.count(chunk)
            digest.hash.update(chunk)
    return digest.finish(path)


async def _limited(chunks: AsyncIterator[bytes], limit: int) -> AsyncIterator[bytes]:
    received = 0
    async for chunk in chunks:
        received += len(chunk)
        if received > limit:
            raise TooLarge(f"The request is larger than the {limit:,}-byte limit for an upload.")
        yield chunk


async def _events(chunks: AsyncIterator[bytes], boundary: str) -> AsyncIterator[MultipartSegment | bytes | None]:
    try:
        with PushMultipartParser(boundary, max_segment_count=10, strict=True) as parser:
            async for chunk in chunks:
                for event in parser.parse(chunk):
                    yield event
            for event in parser.parse(b""):
                yield event
    except (ParserError, ParserLimitReached) as error:
        raise MalformedRequest(f"The multipart/form-data body is malformed: {error}.") from error


async def multipart_file(
    chunks: AsyncIterator[bytes], boundary: str, max_bytes: int
) -> tuple[str, AsyncIterator[bytes]]:
    """The filename and the bytes of the body's ``file`` part; other parts are read and ignored."""
    events = _events(_limited(chunks, max_bytes + MULTIPART_OVERHEAD), boundary)
    async for event in events:
        if isinstance(event, MultipartSegment) and event.name == "file" and event.filename is not None:
            filename = event.filename
            break
    else:
        raise InvalidInput(
            "Send the file in a form field named 'file'.", errors=[{"field": "file", "message": "missing"}]
        )

    async def data() -> AsyncIterator[bytes]:
        async for part in events:
            if part is None:
                break
            yield part
        async for _ in events:
            pass

    return filename, data()
