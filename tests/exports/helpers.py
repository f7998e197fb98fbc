"""Making a worker's record through the API, exporting it, and waiting for the export."""

from __future__ import annotations

import asyncio
import io
import json
from datetime import timedelta
from typing import Any

import jsonschema
from httpx import AsyncClient
from PIL import Image

from tests.competences.helpers import framework_by_title, items_by_code
from tests.factories import put_entry
from tests.requirements.helpers import link, register_on

#: Exports picked up at once, and a running job's heartbeat checked every few seconds.
EXPORT_SETTINGS: dict[str, Any] = {
    "export_poll_interval": timedelta(milliseconds=50),
    "public_base_url": "https://cpl.example.org",
}


def png_bytes(colour: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), colour).save(out, "PNG")
    return out.getvalue()


async def attach(client: AsyncClient, headers: dict, entry_id: str, data: bytes, filename: str) -> dict[str, Any]:
    response = await client.post(
        f"/v1/evidence/{entry_id}/attachments",
        content=data,
        params={"filename": filename},
        headers={**headers, "Content-Type": "application/octet-stream"},
    )
    assert response.status_code == 201, response.text
    return response.json()


async def worker_record(client: AsyncClient, headers: dict) -> dict[str, Any]:
    """Two entries (one mapped to the NMC Code, with a text file, a picture and a peer discussion)
    and an NMC registration."""
    registration = await register_on(client, headers, "nmc", "nurse", "2024-01-01", "2027-01-01")
    first = await put_entry(client, headers, title='=HYPERLINK("http://evil")', occurred_on="2025-03-01")
    second = await put_entry(
        client, headers, title="Reflective account", kind="reflective_account", occurred_on="2025-05-02"
    )
    framework = await framework_by_title(client, headers, "The NMC Code")
    items = await items_by_code(client, headers, "The NMC Code")
    code = sorted(items)[1]
    await link(client, headers, first["id"], items[code]["id"])
    text = await attach(client, headers, first["id"], b"certificate of attendance\n", "certificate.txt")
    picture = await attach(client, headers, first["id"], png_bytes(), "ward.png")
    peer = {"name": "Alex Peer", "pin": "98Y1234E", "learning": "How to escalate."}
    response = await client.put(f"/v1/evidence/{first['id']}/peer-discussion", json=peer, headers=headers)
    assert response.status_code == 201, response.text
    return {
        "registration": registration,
        "entries": [first, second],
        "code": code,
        "item": items[code],
        "framework": framework,
        "files": [text, picture],
    }


async def start_export(client: AsyncClient, headers: dict, export_format: str, **selection: Any) -> dict[str, Any]:
    response = await client.post("/v1/exports", json={"format": export_format, "selection": selection}, headers=headers)
    assert response.status_code == 202, response.text
    return response.json()


async def wait_for(client: AsyncClient, headers: dict, export_id: str, seconds: float = 60) -> dict[str, Any]:
    """Poll ``GET /v1/exports/{id}`` until the job is done or failed."""
    for _ in range(int(seconds / 0.05)):
        body = (await client.get(f"/v1/exports/{export_id}", headers=headers)).json()
        if body["status"] in ("done", "failed"):
            return body
        await asyncio.sleep(0.05)
    raise AssertionError(f"export {export_id} still {body['status']}")


async def export_file(client: AsyncClient, headers: dict, export_format: str, **selection: Any) -> tuple[dict, bytes]:
    """Export, wait, download: the export as ``GET`` shows it, and its bytes."""
    started = await start_export(client, headers, export_format, **selection)
    done = await wait_for(client, headers, started["id"])
    assert done["status"] == "done", done
    response = await client.get(done["download_url"], headers=headers)
    assert response.status_code == 200, response.text
    return done, response.content


async def check_against_schema(client: AsyncClient, record: dict) -> None:
    schema = (await client.get("/v1/schemas/portable-record-1.json")).json()
    jsonschema.Draft202012Validator(schema).validate(record)


async def jwks(client: AsyncClient) -> dict:
    response = await client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    return response.json()


def loads(data: bytes) -> Any:
    return json.loads(data)
