"""Bodies that break off or are malformed: the client hears why, and nothing stays behind."""

from __future__ import annotations

import pytest

from cpl.attachments.receive import spool
from cpl.attachments.tee import StagingTee
from cpl.errors import MalformedRequest
from tests.attachments import corpus
from tests.attachments.helpers import attachments_of, spool_files
from tests.storage.fixtures import stored_keys


async def breaks_off(data: bytes, after: int):
    """A body that stops part-way, as when a phone loses its connection."""
    for start in range(0, after, 65536):
        yield data[start : min(start + 65536, after)]
    raise MalformedRequest("The request body ended before it was complete.")


async def test_a_body_that_breaks_off_while_streaming_to_the_store_leaves_nothing(store, attachment_settings) -> None:
    recording = corpus.wav(frames=1_500_000)  # 3 MB, sent on to the store while it arrives
    directory = attachment_settings.data_dir / "spool"
    directory.mkdir(exist_ok=True)
    tee = StagingTee(store, len(recording))
    with pytest.raises(MalformedRequest):
        await spool(breaks_off(recording, 2_000_000), directory, 10_000_000, tee)
    assert spool_files(attachment_settings) == []
    assert await stored_keys(store) == []


async def test_malformed_multipart_is_400(api, worker, store, attachment_settings) -> None:
    url = f"/v1/evidence/{worker['entry']}/attachments"
    broken = b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\n' + corpus.jpeg()
    for content_type in ("multipart/form-data; boundary=xyz", "multipart/form-data"):
        response = await api.post(url, content=broken, headers={**worker["headers"], "Content-Type": content_type})
        assert response.status_code == 400, response.text
    assert spool_files(attachment_settings) == [] and await stored_keys(store) == []


async def test_a_form_without_a_file_field_is_422(api, worker) -> None:
    response = await api.post(
        f"/v1/evidence/{worker['entry']}/attachments",
        files={"photo": ("a.jpg", corpus.jpeg(), "image/jpeg")},
        headers=worker["headers"],
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "file", "message": "missing"}]
    assert await attachments_of(api, worker["headers"], worker["entry"]) == []
