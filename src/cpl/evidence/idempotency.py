"""``Idempotency-Key`` for ``POST`` (IETF draft-ietf-httpapi-idempotency-key-header, with
Stripe's semantics, as ../shared/DOMAIN.md notes):

- same key, same body: the first response is replayed, nothing is created again;
- same key, different body: 422;
- same key while the first request is still running: 409 with ``Retry-After``.

A key is claimed in its own transaction before the work starts, naming the node (server
process) that holds it. If the work fails the claim is released, so the client may retry.
If the holder's process dies mid-way, the claim is taken over by the next request as soon
as that node is known dead (its heartbeat older than ``node_lease``, issue 18); a claim
from before holders were recorded lapses after ``idempotency_lock_timeout``.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec
from asyncpg.exceptions import UniqueViolationError

from cpl.accounts.events import AccountErased
from cpl.db import write_transaction
from cpl.errors import Conflict, InvalidInput
from cpl.evidence.mapping import content_hash, entry_json
from cpl.evidence.schemas import EvidenceContent
from cpl.evidence.service import create_entry
from cpl.evidence.tables import IdempotencyRecord
from cpl.kernel import clock
from cpl.kernel.events import EventBus
from cpl.scheduling import Node, is_alive
from cpl.settings import Settings

#: Seconds a client is told to wait before retrying a key still in flight (a request takes less).
RETRY_AFTER_SECONDS = 1


def _in_flight() -> Conflict:
    return Conflict(
        "A request with this Idempotency-Key is still being processed; retry shortly.",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


@dataclass(frozen=True)
class StoredResponse:
    status: int
    #: The entry's version (its ETag).
    version: int
    #: The answer's JSON, byte for byte.
    body: bytes


async def claim(settings: Settings, node: Node, owner: UUID, key: str, request_hash: str) -> StoredResponse | None:
    """Take the key for this request, or return the response to replay."""
    now = clock.now()
    try:
        async with write_transaction():
            await IdempotencyRecord.delete().where(
                (IdempotencyRecord.owner == owner)
                & (IdempotencyRecord.created_at < now - settings.idempotency_retention)
            )
            record = (
                await IdempotencyRecord.select()
                .where((IdempotencyRecord.owner == owner) & (IdempotencyRecord.key == key))
                .first()
            )
            if record is None:
                await IdempotencyRecord.insert(
                    IdempotencyRecord(
                        owner=owner, key=key, request_hash=request_hash, state="in_progress", holder=node.id
                    )
                )
                return None
            return await _existing(settings, node, record, request_hash, now)
    except (UniqueViolationError, sqlite3.IntegrityError) as error:
        raise _in_flight() from error


async def _holder_gone(settings: Settings, record: dict[str, Any], now: datetime) -> bool:
    """Whether the first request's process is known dead (or, unrecorded, its claim has lapsed)."""
    if record["holder"]:
        return not await is_alive(record["holder"], settings.node_lease)
    return now - record["created_at"] >= settings.idempotency_lock_timeout


async def _existing(
    settings: Settings, node: Node, record: dict[str, Any], request_hash: str, now: datetime
) -> StoredResponse | None:
    if record["request_hash"] != request_hash:
        raise InvalidInput(
            "This Idempotency-Key was used with a different request body; use a new key for a new request.",
            errors=[{"field": "Idempotency-Key", "message": "reused with a different body"}],
        )
    if record["state"] == "done":
        body = record["response_body"].encode()
        return StoredResponse(record["response_status"], msgspec.json.decode(body)["version"], body)
    if not await _holder_gone(settings, record, now):
        raise _in_flight()
    await IdempotencyRecord.update({IdempotencyRecord.created_at: now, IdempotencyRecord.holder: node.id}).where(
        IdempotencyRecord.id == record["id"]
    )
    return None


async def complete(owner: UUID, key: str, status: int, body: bytes) -> None:
    await IdempotencyRecord.update(
        {
            IdempotencyRecord.state: "done",
            IdempotencyRecord.response_status: status,
            IdempotencyRecord.response_body: body.decode(),
        }
    ).where((IdempotencyRecord.owner == owner) & (IdempotencyRecord.key == key))


async def release(owner: UUID, key: str) -> None:
    """Forget a claim whose request failed, so that the client can retry with the same key."""
    await IdempotencyRecord.delete().where(
        (IdempotencyRecord.owner == owner) & (IdempotencyRecord.key == key) & (IdempotencyRecord.state == "in_progress")
    )


async def create_once(
    settings: Settings, node: Node, owner: UUID, key: str, content: EvidenceContent, events: EventBus
) -> tuple[StoredResponse, bool]:
    """Create an entry at most once per key; returns the response and whether it is a replay.

    The entry and the stored response commit in one transaction, so a crash can never
    leave an entry whose key would let a retry create it again.
    """
    replay = await claim(settings, node, owner, key, content_hash(content))
    if replay is not None:
        return replay, True
    try:
        async with write_transaction():
            row = await create_entry(owner, content, events)
            body = entry_json(row)
            await complete(owner, key, 201, body)
    except BaseException:
        await release(owner, key)
        raise
    return StoredResponse(201, row["version"], body), False


async def erase_stored_responses(erased: AccountErased) -> None:
    """Every stored response of the person (they repeat entries' content) goes (GDPR Art. 17)."""
    await IdempotencyRecord.delete().where(IdempotencyRecord.owner == erased.account_id)
