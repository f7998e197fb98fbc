"""The work per image is bounded by a memory budget (issue 14): big JPEGs are reduced, other big images refused."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.attachments.helpers import upload
from tests.factories import put_entry, sign_up

ONE_MIB = 1024 * 1024


def _image(size: tuple[int, int], image_format: str) -> bytes:
    out = io.BytesIO()
    Image.linear_gradient("L").resize(size).convert("RGB").save(out, image_format)
    return out.getvalue()


@pytest.fixture
async def small_budget(client_for, make_settings):
    client = await client_for(make_settings(image_max_decoded_bytes=ONE_MIB))
    headers = await sign_up(client)
    return client, headers, (await put_entry(client, headers))["id"]


async def test_a_png_over_the_memory_budget_is_422_before_it_is_decoded(small_budget):
    client, headers, entry_id = small_budget
    response = await upload(client, headers, entry_id, _image((1000, 1000), "PNG"), filename="big.png")
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "1000×1000 pixels" in response.json()["detail"] and "at most 1 MiB" in response.json()["detail"]
    assert (await client.get(f"/v1/evidence/{entry_id}/attachments", headers=headers)).json() == []


async def test_a_jpeg_over_the_memory_budget_is_decoded_and_stored_reduced(small_budget):
    client, headers, entry_id = small_budget
    response = await upload(client, headers, entry_id, _image((2000, 1000), "JPEG"), filename="big.jpg")
    assert response.status_code == 201, response.text
    assert (response.json()["width"], response.json()["height"]) == (500, 250)


async def test_an_image_within_the_budget_is_kept_at_full_size(small_budget):
    client, headers, entry_id = small_budget
    response = await upload(client, headers, entry_id, _image((400, 300), "JPEG"), filename="small.jpg")
    assert response.status_code == 201, response.text
    assert (response.json()["width"], response.json()["height"]) == (400, 300)
