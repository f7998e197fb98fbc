"""SQLite's engine: one process's writers queue for the lock, and reused connections stay sound."""

from __future__ import annotations

import asyncio
import sqlite3
import uuid

import pytest

from cpl.db import write_transaction
from cpl.evidence.tables import EvidenceChangeCounter, EvidenceEntry
from tests.conftest import POSTGRES_URL
from tests.factories import entry_body, sign_up

pytestmark = pytest.mark.skipif(bool(POSTGRES_URL), reason="SQLite's engine only")


async def test_concurrent_writers_queue_rather_than_time_out(client_for, make_settings):
    """With a busy timeout far shorter than the queue, no writer fails: they take turns in
    the process instead of racing for SQLite's lock (which would answer "database is locked")."""
    client = await client_for(make_settings(sqlite_busy_timeout_seconds=0.001))
    workers = [await sign_up(client) for _ in range(4)]
    puts = [
        client.put(f"/v1/evidence/{uuid.uuid4()}", json=entry_body(), headers=workers[number % 4])
        for number in range(32)
    ]
    responses = await asyncio.gather(*puts)
    assert [response.status_code for response in responses] == [201] * 32
    assert await EvidenceEntry.count() == 32


async def test_a_failed_write_transaction_leaves_nothing_behind(client):
    """The connection goes back rolled back: the write is gone, and the next writer gets its turn."""
    headers = await sign_up(client)
    first = await client.put(f"/v1/evidence/{uuid.uuid4()}", json=entry_body(), headers=headers)
    with pytest.raises(RuntimeError):
        async with write_transaction():
            await EvidenceChangeCounter.raw("UPDATE evidence_change_counter SET last_seq = 99")
            await EvidenceEntry.raw("DELETE FROM evidence_entry")
            raise RuntimeError("fails half-way")
    second = await client.put(f"/v1/evidence/{uuid.uuid4()}", json=entry_body(), headers=headers)
    assert (first.status_code, second.status_code) == (201, 201)
    assert await EvidenceEntry.count() == 2
    assert [row["last_seq"] for row in await EvidenceChangeCounter.select(EvidenceChangeCounter.last_seq)] == [2]


async def test_reused_connections_enforce_foreign_keys(client):
    for _ in range(3):  # the same few connections, again and again
        with pytest.raises(sqlite3.IntegrityError):
            await EvidenceChangeCounter.raw(
                "INSERT INTO evidence_change_counter (owner, last_seq) VALUES ({}, 1)", uuid.uuid4()
            )
        with pytest.raises(sqlite3.IntegrityError):
            async with write_transaction():
                await EvidenceChangeCounter.raw(
                    "INSERT INTO evidence_change_counter (owner, last_seq) VALUES ({}, 1)", uuid.uuid4()
                )
    assert await EvidenceChangeCounter.count() == 0
