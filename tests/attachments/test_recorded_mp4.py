"""Voice notes recorded by Chrome's MediaRecorder: general MPEG-4 files holding only sound (issue 13, item 4).

Chrome (Android and desktop) writes ``audio/mp4`` recordings under the general ``isom`` brand, not
``M4A``; such a file is audio when every track its ``moov`` box lists is a sound track. A video, or
a file whose track list cannot be read from its first bytes, is still refused.
"""

from __future__ import annotations

import struct

import pytest

from tests.attachments.helpers import upload


def box(kind: bytes, *children: bytes) -> bytes:
    content = b"".join(children)
    return struct.pack(">I", 8 + len(content)) + kind + content


def track(handler: bytes) -> bytes:
    hdlr = box(b"hdlr", b"\x00" * 8 + handler + b"\x00" * 12 + b"SoundHandler\x00")
    return box(b"trak", box(b"tkhd", b"\x00" * 84), box(b"mdia", box(b"mdhd", b"\x00" * 24), hdlr))


def recording(*handlers: bytes, moov_first: bool = True) -> bytes:
    """An MPEG-4 file as Chrome's MediaRecorder lays it out: ftyp, moov (its tracks), then the media."""
    ftyp = box(b"ftyp", b"isom\x00\x00\x02\x00isomiso6iso2vp09mp41")
    moov = box(b"moov", box(b"mvhd", b"\x00" * 100), *(track(handler) for handler in handlers))
    media = box(b"mdat", bytes(range(256)) * 40)
    return ftyp + moov + media if moov_first else ftyp + media + moov


async def test_a_chrome_voice_recording_is_accepted_as_mpeg4_audio(api, worker):
    response = await upload(api, worker["headers"], worker["entry"], recording(b"soun"), "voice-note.m4a")
    assert response.status_code == 201, response.text
    assert response.json()["media_type"] == "audio/mp4"
    assert response.json()["filename"] == "voice-note.m4a"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(recording(b"vide"), id="video"),
        pytest.param(recording(b"soun", b"vide"), id="sound-and-video"),
        pytest.param(recording(), id="no-tracks"),
        pytest.param(recording(b"soun", moov_first=False), id="track-list-after-the-media"),
    ],
)
async def test_other_mpeg4_files_are_refused(api, worker, data):
    response = await upload(api, worker["headers"], worker["entry"], data, "clip.mp4")
    assert response.status_code == 415, response.text
    assert response.headers["content-type"] == "application/problem+json"
