"""Attaching files through the API, and getting them back — on the local store and on S3."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from PIL import Image

from tests.attachments import corpus
from tests.attachments.helpers import attachments_of, fetch, upload
from tests.factories import put_entry, sign_up
from tests.storage.fixtures import stored_keys

KEY = re.compile(r"^(attachments|thumbnails)/[0-9a-f]{32}$")


async def test_a_phone_photo_is_stored_upright_without_metadata(api, worker, store) -> None:
    photo = corpus.jpeg(64, 32, gps=True, orientation=6)  # "rotate 90° clockwise to display"
    response = await upload(api, worker["headers"], worker["entry"], photo, "IMG_0001.JPG")

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["media_type"] == "image/jpeg" and body["filename"] == "IMG_0001.jpg"
    assert body["sha256"] == hashlib.sha256(photo).hexdigest() and body["size"] == len(photo)
    assert (body["width"], body["height"]) == (32, 64)
    assert body["entry_ids"] == [worker["entry"]]

    stored = (await fetch(api, worker["headers"], body["content_url"])).content
    image = Image.open(io.BytesIO(stored))
    assert image.size == (32, 64)
    assert image.getpixel((16, 2))[2] > 200  # the blue stripe, now along the top: turned as the phone meant
    assert not image.getexif() and "exif" not in image.info and "comment" not in image.info
    assert corpus.SECRET_MAKE.encode() not in stored and corpus.SECRET_COMMENT not in stored

    thumbnail = await fetch(api, worker["headers"], body["thumbnail_url"])
    assert thumbnail.status_code == 200
    assert max(Image.open(io.BytesIO(thumbnail.content)).size) <= 320
    keys = await stored_keys(store)
    assert len(keys) == 2 and all(KEY.match(key) for key in keys)  # promoted: nothing left in staging


@pytest.mark.parametrize(
    ("build", "media_type", "extension"),
    [
        (corpus.png, "image/png", "png"),
        (corpus.webp, "image/webp", "webp"),
        (corpus.heic, "image/jpeg", "jpg"),  # HEIC is stored as JPEG, which everything can show
        (corpus.pdf, "application/pdf", "pdf"),
        (lambda: corpus.TEXT, "text/plain; charset=utf-8", "txt"),
        (corpus.wav, "audio/wav", "wav"),
        (corpus.mp3, "audio/mpeg", "mp3"),
        (corpus.m4a, "audio/mp4", "m4a"),
        (corpus.ogg_opus, "audio/ogg", "ogg"),
    ],
)
async def test_every_accepted_type(api, worker, build, media_type: str, extension: str) -> None:
    data = build()
    response = await upload(api, worker["headers"], worker["entry"], data, "evidence.bin", raw=True)

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["media_type"] == media_type
    assert body["filename"] == f"evidence.{extension}"
    assert (body["thumbnail_url"] is not None) == media_type.startswith("image/")
    content = await fetch(api, worker["headers"], body["content_url"])
    assert content.status_code == 200
    if not media_type.startswith("image/"):
        assert content.content == data


async def test_the_same_file_is_stored_once_and_supports_many_entries(api, worker, store) -> None:
    headers, first = worker["headers"], worker["entry"]
    second = (await put_entry(api, headers))["id"]
    third = (await put_entry(api, headers))["id"]
    certificate = corpus.pdf(pages=2)

    one = (await upload(api, headers, first, certificate, "certificate.pdf")).json()
    again = await upload(api, headers, second, certificate, "certificate (1).pdf", raw=True)
    assert again.status_code == 201 and again.json()["id"] == one["id"]
    assert (await upload(api, headers, second, certificate)).status_code == 200  # already on this entry
    linked = await api.put(f"/v1/evidence/{third}/attachments/{one['id']}", headers=headers)
    assert linked.status_code == 201
    assert (await api.put(f"/v1/evidence/{third}/attachments/{one['id']}", headers=headers)).status_code == 200
    assert sorted(linked.json()["entry_ids"]) == sorted([first, second, third])
    assert len(await stored_keys(store)) == 1

    assert (await api.delete(f"/v1/evidence/{first}/attachments/{one['id']}", headers=headers)).status_code == 204
    assert await attachments_of(api, headers, first) == []
    assert [item["id"] for item in await attachments_of(api, headers, second)] == [one["id"]]
    assert len(await stored_keys(store)) == 1

    for entry in (second, third):
        assert (await api.delete(f"/v1/evidence/{entry}/attachments/{one['id']}", headers=headers)).status_code == 204
    assert (await api.get(f"/v1/attachments/{one['id']}", headers=headers)).status_code == 404
    assert await stored_keys(store) == []


async def test_unlinking_what_is_not_there_is_not_found(api, worker) -> None:
    headers = worker["headers"]
    other_entry = (await put_entry(api, headers))["id"]
    attachment = (await upload(api, headers, worker["entry"], corpus.pdf())).json()
    response = await api.delete(f"/v1/evidence/{other_entry}/attachments/{attachment['id']}", headers=headers)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_nobody_else_can_see_or_touch_my_files(api, worker) -> None:
    attachment = (await upload(api, worker["headers"], worker["entry"], corpus.jpeg())).json()
    stranger = await sign_up(api)
    their_entry = (await put_entry(api, stranger))["id"]
    for url in (f"/v1/attachments/{attachment['id']}", attachment["content_url"], attachment["thumbnail_url"]):
        assert (await api.get(url, headers=stranger, follow_redirects=False)).status_code == 404
    assert (await upload(api, stranger, worker["entry"], corpus.jpeg(color="white"))).status_code == 404
    assert (await api.get(f"/v1/evidence/{worker['entry']}/attachments", headers=stranger)).status_code == 404
    assert (
        await api.put(f"/v1/evidence/{their_entry}/attachments/{attachment['id']}", headers=stranger)
    ).status_code == 404
    unlink = await api.delete(f"/v1/evidence/{worker['entry']}/attachments/{attachment['id']}", headers=stranger)
    assert unlink.status_code == 404
    assert (await api.get(f"/v1/attachments/{attachment['id']}")).status_code == 401


async def test_downloads_are_attachments_with_a_safe_name(api, worker) -> None:
    headers = worker["headers"]
    response = await api.post(
        f"/v1/evidence/{worker['entry']}/attachments",
        content=corpus.pdf(),
        headers={
            **headers,
            "Content-Type": "application/pdf",
            "Content-Disposition": "attachment; filename*=UTF-8''%C3%9Cbung%20%22A%22.pdf",
        },
    )
    assert response.status_code == 201, response.text
    assert response.json()["filename"] == "Übung _A_.pdf"

    direct = await api.get(response.json()["content_url"], headers=headers, follow_redirects=False)
    content = await fetch(api, headers, response.json()["content_url"])
    disposition = content.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="_bung _A_.pdf"')
    assert "filename*=UTF-8''%C3%9Cbung%20_A_.pdf" in disposition
    if direct.status_code == 200:  # the local store: cpl streams it itself
        assert direct.headers["x-content-type-options"] == "nosniff"
        assert direct.headers["cache-control"] == "private, no-store"
    else:
        assert direct.status_code == 307 and "X-Amz-Expires=60" in direct.headers["location"]


async def test_a_deleted_entry_takes_no_files(api, worker, store) -> None:
    headers = worker["headers"]
    assert (await api.delete(f"/v1/evidence/{worker['entry']}", headers=headers)).status_code == 204
    response = await upload(api, headers, worker["entry"], corpus.jpeg())
    assert response.status_code == 410
    assert await stored_keys(store) == []
