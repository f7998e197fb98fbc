"""Both digests of an attachment: the uploaded bytes' (``sha256``) and the stored, served bytes' (``stored_sha256``)."""

from __future__ import annotations

import hashlib

from tests.attachments import corpus
from tests.attachments.helpers import attachments_of, fetch, upload


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


async def test_a_re_encoded_photo_states_the_digest_of_the_bytes_a_download_gets(api, worker) -> None:
    photo = corpus.jpeg(64, 32, gps=True)  # EXIF: stored re-encoded without it
    response = await upload(api, worker["headers"], worker["entry"], photo, "IMG_0002.JPG")

    assert response.status_code == 201, response.text
    body = response.json()
    downloaded = (await fetch(api, worker["headers"], body["content_url"])).content
    assert body["sha256"] == _sha256(photo)
    assert body["stored_sha256"] == _sha256(downloaded) and body["stored_size"] == len(downloaded)
    assert body["stored_sha256"] != body["sha256"]
    [listed] = await attachments_of(api, worker["headers"], worker["entry"])
    assert (listed["sha256"], listed["stored_sha256"]) == (body["sha256"], body["stored_sha256"])

    again = await upload(api, worker["headers"], worker["entry"], photo, "IMG_0002.JPG")
    assert again.status_code == 200, again.text  # recognised by the uploaded bytes' digest: stored once
    assert (again.json()["id"], again.json()["stored_sha256"]) == (body["id"], body["stored_sha256"])


async def test_a_file_stored_as_uploaded_has_one_digest(api, worker) -> None:
    certificate = corpus.pdf()
    response = await upload(api, worker["headers"], worker["entry"], certificate, "certificate.pdf")

    assert response.status_code == 201, response.text
    body = response.json()
    downloaded = (await fetch(api, worker["headers"], body["content_url"])).content
    assert downloaded == certificate
    assert body["sha256"] == body["stored_sha256"] == _sha256(certificate)
