"""Every answer holding an entry encodes it with the one encoder: the same bytes in a write's
answer, ``GET``, the list, sync and batches — and the bytes the pydantic schemas (which the
OpenAPI document shows) encode to, as Litestar encodes a returned model."""

from __future__ import annotations

import uuid

import msgspec
from pydantic import BaseModel

from cpl.evidence.schemas import BatchOut, EvidenceOut, EvidencePage, SyncPage
from tests.factories import entry_body, sign_up


def _as_pydantic_encodes(schema: type[BaseModel], raw: bytes) -> bytes:
    return msgspec.json.encode(schema.model_validate_json(raw).model_dump(mode="json"))


async def test_an_entry_is_the_same_bytes_in_every_answer(client):
    headers = await sign_up(client)
    entry_id = str(uuid.uuid4())
    body = entry_body(ended_on=None, reflection={"what_happened": 'Ünïcode — and "quotes"'}, tags=["a", "b"])
    written = await client.put(f"/v1/evidence/{entry_id}", json=body, headers=headers)
    assert written.status_code == 201
    fetched = await client.get(f"/v1/evidence/{entry_id}", headers=headers)
    listed = await client.get("/v1/evidence", headers=headers)
    synced = await client.get("/v1/sync", headers=headers)
    batched = await client.post("/v1/evidence/batch", json={"entries": [{**body, "id": entry_id}]}, headers=headers)
    assert [r.status_code for r in (fetched, listed, synced, batched)] == [200, 200, 200, 200]

    entry = written.content
    assert fetched.content == entry
    assert listed.content == b'{"items":[' + entry + b'],"next_cursor":null}'
    assert entry in synced.content and entry in batched.content
    for schema, response in (
        (EvidenceOut, written),
        (EvidencePage, listed),
        (SyncPage, synced),
        (BatchOut, batched),
    ):
        assert _as_pydantic_encodes(schema, response.content) == response.content, schema.__name__
