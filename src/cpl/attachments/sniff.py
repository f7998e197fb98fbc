"""What a file is, told from its first bytes — never from its name or the type a client declares.

OWASP ASVS 5.0 V5.2.2 (check content against magic bytes). The allowlist, for evidence
taken on a phone:

- images: JPEG, PNG, WebP, HEIC/HEIF (iPhone and recent Android cameras);
- documents: PDF (the header must be at byte 0, so PDF-with-junk-in-front polyglots fail),
  plain UTF-8 text (no control characters, not markup, not a ``#!`` script);
- voice notes: MP3, M4A (AAC in an MPEG-4 audio container, as iPhone Voice Memos and
  Android recorders write), MPEG-4 files whose every track is sound (what Chrome's
  MediaRecorder writes, under the general ``isom`` brand), Ogg Opus or Vorbis (WhatsApp,
  Signal), WAV, FLAC and AMR (older Android voice recorders).

Anything else — executables, archives, HTML, SVG, video — is refused with 415.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Literal

from cpl.errors import UnsupportedType

#: Enough bytes to recognise every accepted type (an MPEG-4 recording's track list included).
SNIFF_BYTES = 4096

Family = Literal["image", "pdf", "text", "audio"]


@dataclass(frozen=True)
class FileType:
    media_type: str
    #: Given to the download's filename, whatever the uploaded name said.
    extension: str
    family: Family
    #: The Pillow format that must decode it (images only).
    pillow_format: str | None = None


JPEG = FileType("image/jpeg", "jpg", "image", "JPEG")
PNG = FileType("image/png", "png", "image", "PNG")
WEBP = FileType("image/webp", "webp", "image", "WEBP")
HEIC = FileType("image/heic", "heic", "image", "HEIF")
PDF = FileType("application/pdf", "pdf", "pdf")
TEXT = FileType("text/plain; charset=utf-8", "txt", "text")
MP3 = FileType("audio/mpeg", "mp3", "audio")
M4A = FileType("audio/mp4", "m4a", "audio")
OGG = FileType("audio/ogg", "ogg", "audio")
WAV = FileType("audio/wav", "wav", "audio")
FLAC = FileType("audio/flac", "flac", "audio")
AMR = FileType("audio/amr", "amr", "audio")

ACCEPTED = (JPEG, PNG, WEBP, HEIC, PDF, TEXT, MP3, M4A, OGG, WAV, FLAC, AMR)
ACCEPTED_MEDIA_TYPES = frozenset(kind.media_type.split(";")[0] for kind in ACCEPTED)

_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"}
_HEIF_STRUCTURE_BRANDS = {b"mif1", b"msf1"}
_M4A_BRANDS = {b"M4A ", b"M4B "}
#: Brands of general MPEG-4 files, audio or video: such a file is audio when its tracks say so.
_GENERAL_MP4_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42"}
#: Control characters other than tab, line breaks and form feed.
TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _iso_media_type(head: bytes) -> FileType | None:
    """HEIF and M4A are ISO base media files: an ``ftyp`` box naming the brands it follows."""
    if head[4:8] != b"ftyp":
        return None
    major = head[8:12]
    box_end = min(int.from_bytes(head[0:4], "big"), len(head))
    compatible = {head[i : i + 4] for i in range(16, box_end - 3, 4)}
    if major in _HEIF_BRANDS or (major in _HEIF_STRUCTURE_BRANDS and compatible & _HEIF_BRANDS):
        return HEIC
    if major in _M4A_BRANDS:
        return M4A
    if major in _GENERAL_MP4_BRANDS and _only_sound_tracks(head):
        return M4A
    return None


def _boxes(data: bytes, start: int, end: int):
    """The ISO BMFF boxes between ``start`` and ``end``: (type, content start, box end).

    The last box may end past ``end`` (cut off by it).
    """
    while start + 8 <= end:
        size, kind, content = int.from_bytes(data[start : start + 4], "big"), data[start + 4 : start + 8], start + 8
        if size == 1 and start + 16 <= end:
            size, content = int.from_bytes(data[start + 8 : start + 16], "big"), start + 16
        if size < content - start:
            return
        yield kind, content, start + size
        start += size


def _only_sound_tracks(head: bytes) -> bool:
    """True when the file's ``moov`` box lies in ``head`` and every track in it is a sound track ('soun').

    Chrome's MediaRecorder writes ``moov`` right after ``ftyp``, so a recording is told by its first bytes;
    a video (a 'vide' track) or a file whose track list lies further on is not taken for audio.
    """
    moov = next(((start, end) for kind, start, end in _boxes(head, 0, len(head)) if kind == b"moov"), None)
    if moov is None or moov[1] > len(head):
        return False
    handlers = []
    for kind, trak_start, trak_end in _boxes(head, *moov):
        if kind != b"trak":
            continue
        mdia = [(start, end) for name, start, end in _boxes(head, trak_start, trak_end) if name == b"mdia"]
        hdlr = [start for name, start, _ in _boxes(head, *mdia[0]) if name == b"hdlr"] if mdia else []
        handlers.append(head[hdlr[0] + 8 : hdlr[0] + 12] if hdlr else b"")
    return bool(handlers) and all(handler == b"soun" for handler in handlers)


def _is_mp3(head: bytes) -> bool:
    """An ID3 tag, or an MPEG audio frame header for Layer III (version bits not 'reserved')."""
    if head.startswith(b"ID3"):
        return True
    if len(head) < 2 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    return (head[1] >> 1) & 0b11 == 0b01 and (head[1] >> 3) & 0b11 != 0b01


def _binary_type(head: bytes) -> FileType | None:
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return WAV
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"OggS") and (b"OpusHead" in head or b"\x01vorbis" in head):
        return OGG
    if head.startswith(b"fLaC"):
        return FLAC
    if head.startswith((b"#!AMR\n", b"#!AMR-WB\n")):
        return AMR
    if _is_mp3(head):
        return MP3
    return _iso_media_type(head)


def looks_like_text(head: bytes, complete: bool) -> bool:
    """UTF-8 with no control characters, and not markup or a script (served as text, they are still refused)."""
    try:
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=complete)
    except UnicodeDecodeError:
        return False
    start = text.lstrip()
    return not TEXT_CONTROL.search(text) and not start.startswith(("<", "#!"))


def sniff(head: bytes, complete: bool) -> FileType:
    """The accepted type these first bytes begin, or :class:`UnsupportedType`.

    ``complete`` says ``head`` is the whole file (a text file may end mid-character otherwise).
    """
    found = _binary_type(head)
    if found is not None:
        return found
    if looks_like_text(head, complete):
        return TEXT
    raise UnsupportedType(
        "The file is not an accepted type (JPEG, PNG, WebP, HEIC/HEIF, PDF, plain text, "
        "or MP3, M4A, Ogg, WAV, FLAC or AMR audio); its contents decide, not its name."
    )
