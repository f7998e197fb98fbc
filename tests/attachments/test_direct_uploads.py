"""Direct uploads: a slot, the bytes sent straight to the store, then completion checks and attaches them."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from cpl.attachments.cleanup import expire_slots
from tests.attachments import corpus
from tests.attachments.helpers import attachments_of, fetch, upload
from tests.factories import put_entry, sign_up
from tests.storage.fixtures import stored_keys


def slot_request(entry_id: str, data: bytes, **overrides: Any) -> dict[str, Any]:
    body = {
        "entry_id": entry_id,
        "filename": "certificate.pdf",
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "media_type": "application/pdf",
    }
    return {**body, **overrides}


async def open_slot(api, headers, entry_id: str, data: bytes, **overrides: Any) -> dict[str, Any]:
    response = await api.post("/v1/uploads", json=slot_request(entry_id, data, **overrides), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def send(api, slot: dict[str, Any], data: bytes) -> httpx.Response:
    """Upload as the slot says: a PUT to cpl's own signed URL, or a presigned POST form to S3."""
    instructions = slot["upload"]
    if instructions["method"] == "PUT":
        return await api.put(instructions["url"], content=data, headers=instructions["headers"])
    async with httpx.AsyncClient() as store:
        return await store.post(instructions["url"], data=instructions["fields"], files={"file": ("f", data)})


async def test_upload_straight_to_storage_then_complete(api, worker, store) -> None:
    headers, certificate = worker["headers"], corpus.pdf()
    slot = await open_slot(api, headers, worker["entry"], certificate)
    assert slot["already_stored"] is False
    assert (await send(api, slot, certificate)).status_code == 204

    completed = await api.post(slot["complete_url"], headers=headers)
    assert completed.status_code == 201, completed.text
    body = completed.json()
    assert body["filename"] == "certificate.pdf" and body["sha256"] == slot_request("", certificate)["sha256"]
    assert (await fetch(api, headers, body["content_url"])).content == certificate
    assert (await api.post(slot["complete_url"], headers=headers)).json()["id"] == body["id"]  # a retry is safe
    assert [key.split("/")[0] for key in await stored_keys(store)] == ["attachments"]  # the upload is gone


async def test_the_digest_and_media_type_are_read_in_either_case_as_the_document_says(api, worker, store) -> None:
    headers, certificate = worker["headers"], corpus.pdf()
    digest = hashlib.sha256(certificate).hexdigest()
    slot = await open_slot(
        api, headers, worker["entry"], certificate, sha256=digest.upper(), media_type="Application/PDF"
    )
    assert (await send(api, slot, certificate)).status_code == 204
    completed = await api.post(slot["complete_url"], headers=headers)
    assert completed.status_code == 201, completed.text
    assert completed.json()["sha256"] == digest and completed.json()["media_type"] == "application/pdf"
    schema = (await api.get("/schema/openapi.json")).json()["components"]["schemas"]["UploadSlotIn"]
    assert "either case" in schema["properties"]["sha256"]["description"]
    assert "lower case" not in schema["properties"]["media_type"].get("description", "").replace("either case", "")
    assert "must be in lower case" not in (await api.get("/schema/openapi.json")).text


async def test_completion_checks_the_bytes_not_the_declaration(api, worker, store) -> None:
    headers, certificate = worker["headers"], corpus.pdf()
    impostor = corpus.WINDOWS_EXE.ljust(len(certificate), b"\x00")
    cases = [
        (certificate[:-1] + b"X", {}, 422, "SHA-256"),  # same size, other bytes
        (impostor, {"sha256": hashlib.sha256(impostor).hexdigest()}, 415, "not an accepted type"),
        (certificate + b"more", {}, 422, "bytes"),  # larger than declared
    ]
    for data, overrides, status, words in cases:
        slot = await open_slot(api, headers, worker["entry"], certificate, **overrides)
        stored = await send(api, slot, data)
        if slot["upload"]["method"] == "PUT" and len(data) > len(certificate):
            # cpl's own upload URL refuses more bytes than the slot declared: nothing to complete
            assert stored.status_code == 413, stored.text
            continue
        assert stored.status_code == 204, stored.text
        response = await api.post(slot["complete_url"], headers=headers)
        assert response.status_code == status, response.text
        assert words in response.json()["detail"]
    assert await stored_keys(store) == []
    assert await attachments_of(api, headers, worker["entry"]) == []


async def test_completing_before_uploading_is_a_conflict(api, worker) -> None:
    slot = await open_slot(api, worker["headers"], worker["entry"], corpus.pdf())
    response = await api.post(slot["complete_url"], headers=worker["headers"])
    assert response.status_code == 409


async def test_bytes_already_stored_need_no_upload(api, worker) -> None:
    headers, certificate = worker["headers"], corpus.pdf()
    first = (await upload(api, headers, worker["entry"], certificate, "certificate.pdf")).json()
    other_entry = (await put_entry(api, headers))["id"]
    slot = await open_slot(api, headers, other_entry, certificate)
    assert slot["already_stored"] is True
    completed = await api.post(slot["complete_url"], headers=headers)
    assert completed.status_code == 201 and completed.json()["id"] == first["id"]
    assert sorted(completed.json()["entry_ids"]) == sorted([worker["entry"], other_entry])


@pytest.mark.parametrize(
    ("overrides", "status"),
    [
        ({"size": 26 * 1024 * 1024}, 413),
        ({"media_type": "application/x-msdownload"}, 415),
        ({"sha256": "not-a-hash"}, 422),
        ({"size": 0}, 422),
    ],
)
async def test_a_slot_is_refused_up_front(api, worker, overrides: dict, status: int) -> None:
    body = slot_request(worker["entry"], corpus.pdf(), **overrides)
    response = await api.post("/v1/uploads", json=body, headers=worker["headers"])
    assert response.status_code == status, response.text


async def test_slots_are_only_for_my_live_entries(api, worker) -> None:
    stranger = await sign_up(api)
    body = slot_request(worker["entry"], corpus.pdf())
    assert (await api.post("/v1/uploads", json=body, headers=stranger)).status_code == 404
    slot = await open_slot(api, worker["headers"], worker["entry"], corpus.pdf())
    assert (await api.post(slot["complete_url"], headers=stranger)).status_code == 404


async def test_expired_slots_are_gone_and_cleaned_up(client_for, make_settings, storage_overrides, store) -> None:
    api = await client_for(make_settings(**storage_overrides, upload_slot_ttl=timedelta(seconds=-1)))
    headers = await sign_up(api)
    entry = (await put_entry(api, headers))["id"]
    certificate = corpus.pdf()
    slot = await open_slot(api, headers, entry, certificate)
    await send(api, slot, certificate)  # the store may refuse an expired URL; either way nothing is attached

    assert (await api.post(slot["complete_url"], headers=headers)).status_code == 410
    assert await expire_slots(store, datetime.now(UTC)) == 1
    assert await stored_keys(store) == []
    assert (await api.post(slot["complete_url"], headers=headers)).status_code == 404


async def test_a_forged_local_upload_url_is_refused(api, worker, store) -> None:
    slot = await open_slot(api, worker["headers"], worker["entry"], corpus.pdf())
    if slot["upload"]["method"] != "PUT":
        pytest.skip("S3 checks its own presigned POST policy")
    forged = slot["upload"]["url"].replace("signature=", "signature=0")[:-1]
    assert (await api.put(forged, content=corpus.pdf())).status_code == 403
    assert await stored_keys(store) == []
