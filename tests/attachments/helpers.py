"""Sending files and fetching them back through the API, as a phone would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from litestar.testing import AsyncTestClient

from cpl.settings import Settings


async def upload(
    client: AsyncTestClient,
    headers: dict,
    entry_id: str,
    data: bytes,
    filename: str = "photo.jpg",
    *,
    raw: bool = False,
) -> httpx.Response:
    """Attach ``data`` as multipart/form-data, or as a raw body with a ``filename`` query parameter."""
    url = f"/v1/evidence/{entry_id}/attachments"
    if raw:
        sent = {**headers, "Content-Type": "application/octet-stream"}
        return await client.post(url, content=data, params={"filename": filename}, headers=sent)
    return await client.post(url, files={"file": (filename, data, "image/jpeg")}, headers=headers)


async def fetch(client: AsyncTestClient, headers: dict, url: str) -> httpx.Response:
    """GET through the API; a redirect to the store is followed over real HTTP, without our token."""
    response = await client.get(url, headers=headers, follow_redirects=False)
    if response.status_code != 307:
        return response
    async with httpx.AsyncClient() as store:
        return await store.get(response.headers["location"])


async def attachments_of(client: AsyncTestClient, headers: dict, entry_id: str) -> list[dict[str, Any]]:
    response = await client.get(f"/v1/evidence/{entry_id}/attachments", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def spool_files(settings: Settings) -> list[Path]:
    spool = settings.data_dir / "spool"
    return sorted(spool.iterdir()) if spool.exists() else []
