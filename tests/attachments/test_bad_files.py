"""The bad-file corpus: every refusal is a problem+json naming the reason, and leaves no object,
no row and no spool file behind; what is accepted keeps nothing but its pixels."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from cpl.attachments.sniff import SNIFF_BYTES
from tests.attachments import corpus
from tests.attachments.helpers import attachments_of, fetch, spool_files, upload
from tests.factories import put_entry, sign_up
from tests.storage.fixtures import stored_keys


async def assert_nothing_left(api, worker, store, settings) -> None:
    assert await attachments_of(api, worker["headers"], worker["entry"]) == []
    assert await stored_keys(store) == []
    assert spool_files(settings) == []


@pytest.mark.parametrize(
    ("filename", "data", "status"),
    [
        ("holiday.jpg", corpus.ELF, 415),
        ("certificate.jpg", corpus.WINDOWS_EXE, 415),
        ("notes.txt", corpus.SHELL_SCRIPT, 415),
        ("certificate.pdf", corpus.HTML, 415),
        ("badge.png", corpus.SVG, 415),
        ("archive.jpg", corpus.ZIP_PAYLOAD, 415),
        ("certificate.pdf", corpus.HTML_BEFORE_PDF, 415),
        ("certificate.pdf", corpus.NOT_A_PDF, 422),
        ("scan.jpg", corpus.truncated_jpeg(), 422),
        ("flood.png", corpus.pixel_flood_png(), 422),
        ("empty.jpg", b"", 422),
        ("notes.txt", b"valid start then a NUL\x00 further on" + b" " * 100, 415),
        ("notes.txt", b"x" * (SNIFF_BYTES + 100) + b"\xff\xfe not UTF-8 after the first bytes", 422),
    ],
)
async def test_refused_files_leave_nothing_behind(
    api, worker, store, attachment_settings, filename, data, status
) -> None:
    for raw in (False, True):
        response = await upload(api, worker["headers"], worker["entry"], data, filename, raw=raw)
        assert response.status_code == status, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["detail"]
    await assert_nothing_left(api, worker, store, attachment_settings)


async def test_a_decompression_bomb_is_an_error_not_a_warning(
    client_for, make_settings, storage_overrides, store
) -> None:
    settings = make_settings(**storage_overrides, image_max_pixels=1_000_000)
    api = await client_for(settings)
    headers = await sign_up(api)
    worker = {"headers": headers, "entry": (await put_entry(api, headers))["id"]}
    bomb = corpus.decompression_bomb_png(2000)  # 4 megapixels in a few kilobytes
    assert len(bomb) < 50_000

    response = await upload(api, headers, worker["entry"], bomb, "bomb.png")
    assert response.status_code == 422
    assert "1,000,000 pixels" in response.json()["detail"]
    await assert_nothing_left(api, worker, store, settings)


@pytest.mark.parametrize("build", [corpus.jpeg_zip_polyglot, corpus.jpeg_html_polyglot])
async def test_a_polyglot_keeps_only_its_picture(api, worker, build) -> None:
    response = await upload(api, worker["headers"], worker["entry"], build(), "innocent.jpg")
    assert response.status_code == 201, response.text
    stored = (await fetch(api, worker["headers"], response.json()["content_url"])).content
    assert b"PK\x03\x04" not in stored and b"<script>" not in stored
    Image.open(io.BytesIO(stored)).verify()


@pytest.mark.parametrize("build", [lambda: corpus.jpeg(gps=True), corpus.webp, corpus.heic])
async def test_no_gps_survives(api, worker, build) -> None:
    data = build()
    assert corpus.SECRET_MAKE.encode() in data or b"Exif" in data  # the original does carry it
    response = await upload(api, worker["headers"], worker["entry"], data, "where-i-was.jpg")
    assert response.status_code == 201, response.text
    for url in (response.json()["content_url"], response.json()["thumbnail_url"]):
        stored = (await fetch(api, worker["headers"], url)).content
        image = Image.open(io.BytesIO(stored))
        assert not image.getexif() and not image.getexif().get_ifd(0x8825)
        assert not {"exif", "xmp", "icc_profile", "comment"} & set(image.info)
        assert b"Exif" not in stored and corpus.SECRET_MAKE.encode() not in stored


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../../etc/passwd.jpg", "passwd.jpg"),
        ("..\\..\\windows\\win.ini.jpg", "win.ini.jpg"),
        ("evil\r\nSet-Cookie: a=b.jpg", "evil__Set-Cookie_ a=b.jpg"),
        ("photo\u202egpj.exe", "photo_gpj.jpg"),  # right-to-left override would show "photoexe.jpg"
        ("nul\x00byte.png", "nul_byte.jpg"),  # the extension follows the bytes (a JPEG)
        ("..", "attachment.jpg"),
    ],
)
async def test_filenames_are_made_safe(api, worker, store, sent: str, kept: str) -> None:
    """Sent in the query string, which carries every character as it is (multipart clients escape some)."""
    response = await upload(api, worker["headers"], worker["entry"], corpus.jpeg(), sent, raw=True)
    assert response.status_code == 201, response.text
    assert response.json()["filename"] == kept
    content = await fetch(api, worker["headers"], response.json()["content_url"])
    assert "\r" not in content.headers["content-disposition"] and "\n" not in content.headers["content-disposition"]
    assert all(key.split("/")[1].isalnum() for key in await stored_keys(store))


async def test_a_multipart_filename_loses_its_folders(api, worker) -> None:
    response = await upload(api, worker["headers"], worker["entry"], corpus.jpeg(), "../../../etc/cron.d/x.jpg")
    assert response.status_code == 201 and response.json()["filename"] == "x.jpg"


async def test_too_large_and_over_quota_are_413(client_for, make_settings, storage_overrides, store) -> None:
    settings = make_settings(**storage_overrides, attachment_max_bytes=2_000, attachment_quota_bytes=5_000)
    api = await client_for(settings)
    headers = await sign_up(api)
    worker = {"headers": headers, "entry": (await put_entry(api, headers))["id"]}

    for raw in (False, True):
        response = await upload(api, headers, worker["entry"], b"a" * 2_001, "notes.txt", raw=raw)
        assert response.status_code == 413, response.text
        assert "2,000-byte limit" in response.json()["detail"]
    await assert_nothing_left(api, worker, store, settings)

    for number in range(3):
        note = f"note {number} ".encode() * 180
        assert (await upload(api, headers, worker["entry"], note, "n.txt", raw=True)).status_code == 201
    over = await upload(api, headers, worker["entry"], b"the fourth note " * 100, "n.txt", raw=True)
    assert over.status_code == 413 and "quota" in over.json()["detail"]
    assert len(await attachments_of(api, headers, worker["entry"])) == 3
    assert len(await stored_keys(store)) == 3
