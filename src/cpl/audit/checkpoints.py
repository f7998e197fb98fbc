"""Signed checkpoints of the chain head: what a copy kept outside cpl is checked against.

A checkpoint is the compact JWS, signed with the issuer key (``cpl.signing``, EdDSA, ``kid`` =
the key's DID URL, published in ``/.well-known/jwks.json`` and ``did.json``), of the payload
``{"seq": <last event's sequence number>, "head": <its hash>, "signed_at": <ISO 8601 UTC>}``
(``typ`` :data:`CHECKPOINT_TYP`). :func:`write_checkpoint_if_due` writes one when events were
appended since the last checkpoint; the scheduler runs it every few minutes (the lead registers
it), ``cpl audit checkpoint`` runs it by hand. Checkpoints are public
(``GET /v1/audit/checkpoints``): they say how many events there are and nothing about them.

The audit domain does not import ``cpl.signing`` (which records key rotations here): the caller
passes ``sign``, e.g. ``functools.partial(cpl.signing.sign_payload, settings, typ=CHECKPOINT_TYP)``.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from contextlib import nullcontext
from typing import Any

from cpl.audit import repository
from cpl.audit.chain import timestamp
from cpl.db import in_transaction, write_transaction
from cpl.kernel import clock

CHECKPOINT_TYP = "cpl-audit-checkpoint+jws"
#: Signs a checkpoint payload with the issuer key; answers the compact JWS.
Sign = Callable[[bytes], Awaitable[str]]


def checkpoint_payload(seq: int, head: str, signed_at: str) -> bytes:
    return json.dumps(
        {"head": head, "seq": seq, "signed_at": signed_at}, sort_keys=True, separators=(",", ":")
    ).encode()


async def write_checkpoint_if_due(sign: Sign) -> dict[str, Any] | None:
    """Sign the chain head if events were appended since the last checkpoint; the new checkpoint, or ``None``.

    Runs under the chain's lock (its write transaction on SQLite, the advisory lock on
    PostgreSQL), so the head cannot move while it is signed and two processes never sign the
    same head twice.
    """
    async with nullcontext() if in_transaction() else write_transaction():
        await repository.lock_chain()
        seq, head = await repository.head()
        latest = await repository.latest_checkpoint()
        if seq == 0 or (latest is not None and latest["seq"] >= seq):
            return None
        signed_at = clock.now()
        jws = await sign(checkpoint_payload(seq, head, timestamp(signed_at)))
        await repository.add_checkpoint(seq, head, signed_at, jws)
    return checkpoint_document({"seq": seq, "head": head, "signed_at": signed_at, "jws": jws})


def checkpoint_document(row: dict[str, Any]) -> dict[str, Any]:
    """A checkpoint as published and as saved to a file for ``cpl audit verify --checkpoint``."""
    return {"seq": row["seq"], "head": row["head"], "signed_at": timestamp(row["signed_at"]), "jws": row["jws"]}
