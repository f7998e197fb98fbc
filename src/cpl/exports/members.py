"""Reading members of an uploaded bundle (a ZIP) without trusting what it says about itself.

A ZIP states each member's size, but a small upload can inflate to gigabytes (a zip bomb).
Every member is checked against its limit by its declared size and its compression ratio
before a byte is decompressed, and its actual bytes are held to the declared size while
they stream (OWASP ASVS 5.0 V5.2.3: compressed files are checked against the maximum
uncompressed size and the maximum number of files before they are uncompressed).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator

from cpl.errors import TooLarge
from cpl.exports.bundle import READ_BYTES

#: A bundle member that inflates more than this many times over is taken for a zip bomb and
#: refused before it is decompressed (D. Fifield, "A better zip bomb", WOOT '19: ratios in the
#: millions). Text and JSON compress about 10:1; a stream of zeros, about 1,000:1.
MAX_COMPRESSION_RATIO = 200
#: Members smaller than this are never taken for bombs, whatever their ratio.
RATIO_CHECKED_FROM_BYTES = 1024 * 1024


def checked_member(bundle: zipfile.ZipFile, name: str, max_bytes: int, field: str) -> zipfile.ZipInfo:
    """A bundle member whose declared size is within ``max_bytes`` and which is no zip bomb (413 otherwise).

    Only the declared size is checked here: :func:`read_member` holds the actual bytes to it.
    """
    info = bundle.getinfo(name)
    if info.file_size > max_bytes:
        raise TooLarge(f"{field}: the file is {info.file_size:,} bytes; the limit is {max_bytes:,}.")
    ratio_limit = MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
    if info.file_size > RATIO_CHECKED_FROM_BYTES and info.file_size > ratio_limit:
        raise TooLarge(
            f"{field}: the file inflates {info.file_size // max(info.compress_size, 1):,} times over "
            f"(at most {MAX_COMPRESSION_RATIO} accepted); it is refused as a zip bomb."
        )
    return info


def read_member(bundle: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's bytes in pieces, refused (413) the moment they pass its declared size."""
    size = 0
    with bundle.open(info) as reader:
        while chunk := reader.read(READ_BYTES):
            size += len(chunk)
            if size > info.file_size:
                raise TooLarge(f"{info.filename} holds more bytes than the bundle declares for it.")
            yield chunk
