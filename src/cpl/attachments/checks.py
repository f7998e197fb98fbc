"""Checking a received file in full, and preparing what is stored.

A file arrives in a spool file (:mod:`cpl.attachments.receive`), already measured, hashed
and sniffed from its first bytes. Here each family is checked all the way through:

- images are decoded and re-encoded without metadata (:mod:`cpl.attachments.images`);
- PDFs must open as PDFs with at least one page (pypdf), and not be password-protected,
  which would keep a reviewer out;
- text must be UTF-8 without control characters from the first byte to the last;
- audio is accepted on its header (the container's signature); it is not decoded.

Everything here is blocking: call it through ``anyio.to_thread``.
"""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

from cpl.attachments.images import sanitize_image
from cpl.attachments.sniff import TEXT_CONTROL, FileType
from cpl.errors import InvalidInput

READ_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Prepared:
    """What goes to the store: the file (re-encoded for images), its type, and a thumbnail for images."""

    path: Path
    size: int
    kind: FileType
    thumbnail: Path | None = None
    thumbnail_size: int = 0
    width: int | None = None
    height: int | None = None
    #: SHA-256 of a re-encoded file; None when the received file is stored as it is.
    sha256: str | None = None

    @property
    def stored_bytes(self) -> int:
        """What the file takes in the store, thumbnail included (what the quota counts)."""
        return self.size + self.thumbnail_size


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(READ_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def check_pdf(path: Path) -> None:
    """A PDF is accepted when pypdf can read its page tree and finds at least one page."""
    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted:
            raise InvalidInput("The PDF is password-protected; upload it without a password.")
        pages = len(reader.pages)
    except InvalidInput:
        raise
    except Exception as error:  # pypdf fails in many ways on hostile input; each means "not a PDF"
        raise InvalidInput("The file starts like a PDF but is not a readable PDF.") from error
    if pages < 1:
        raise InvalidInput("The PDF has no pages.")


def check_text(path: Path) -> None:
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        with path.open("rb") as handle:
            while True:
                chunk = handle.read(READ_BYTES)
                text = decoder.decode(chunk, final=not chunk)
                if TEXT_CONTROL.search(text):
                    raise InvalidInput("The text file contains control characters.")
                if not chunk:
                    return
    except UnicodeDecodeError as error:
        raise InvalidInput("The text file is not valid UTF-8.") from error


def prepare(path: Path, size: int, kind: FileType, max_pixels: int, max_decoded_bytes: int) -> Prepared:
    """Check the whole file and return what to store (a new file for images, the same one otherwise)."""
    if kind.family == "image":
        clean = sanitize_image(path, kind, path.parent, max_pixels, max_decoded_bytes)
        return Prepared(
            clean.path,
            clean.path.stat().st_size,
            clean.kind,
            clean.thumbnail,
            clean.thumbnail.stat().st_size,
            clean.width,
            clean.height,
            file_sha256(clean.path),
        )
    if kind.family == "pdf":
        check_pdf(path)
    elif kind.family == "text":
        check_text(path)
    return Prepared(path, size, kind)
