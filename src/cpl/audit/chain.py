"""The hash chain: how an audit event is encoded, hashed and linked to the one before.

**Canonical encoding.** An event is the JSON object

    {"v": 1, "seq": <integer>, "at": "<UTC time, ISO 8601, microseconds, Z>",
     "action": …, "outcome": …, "actor": <actor pseudonym>, "subject": <subject pseudonym>,
     "object": …, "request_id": …, "user_agent": …, "network": …,
     "detail": {<text key>: <text value>, …}, "previous": "<previous event's hash>"}

serialised with its keys sorted, no insignificant whitespace, UTF-8, non-ASCII characters as
themselves (``json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)``). Every
value is text except ``seq`` and ``v``, which are integers, and every key is ASCII, so this is the
JSON Canonicalization Scheme (RFC 8785) of the object. The event's hash is the lower-case hex
SHA-256 of those bytes; the first event's ``previous`` is 64 zeros (:data:`GENESIS`).

**People are in the chain only as keyed pseudonyms.** ``actor`` and ``subject`` are
HMAC-SHA-256 of the account id under a key derived from the service secret
(:func:`pseudonym`). The account ids sit beside them, unhashed, so a person can be found
(their access log, their data export); ``cpl audit verify`` checks each id against its
pseudonym, so an id changed in the database is caught like any other edit. Erasing an account
empties the ids and leaves the pseudonyms: the chain still verifies, and the person can no
longer be named from the log. Nothing else in an event identifies a person: the object is a
``kind:id`` reference, the client a browser family and a /24 network.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

GENESIS = "0" * 64
VERSION = 1
#: The purpose label of the pseudonym key (derived from the service secret by ``cpl.secret_key``).
PSEUDONYM_PURPOSE = b"cpl-audit-pseudonym-v1"


def pseudonym(key: bytes, account: UUID | None) -> str:
    """The keyed pseudonym of an account in the log, or ``""`` for nobody."""
    if account is None:
        return ""
    return hmac.new(key, str(account).encode("ascii"), hashlib.sha256).hexdigest()


def timestamp(moment: datetime) -> str:
    """The one text form of an event's time in the chain."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(row: Mapping[str, Any]) -> bytes:
    """The canonical encoding of a stored event row (the columns of ``audit_event``)."""
    detail = row["detail"]
    document = {
        "v": VERSION,
        "seq": int(row["seq"]),
        "at": timestamp(row["occurred_at"]),
        "action": row["action"],
        "outcome": row["outcome"],
        "actor": row["actor_pseudonym"],
        "subject": row["subject_pseudonym"],
        "object": row["object"],
        "request_id": row["request_id"],
        "user_agent": row["user_agent"],
        "network": row["network"],
        "detail": json.loads(detail) if isinstance(detail, str) else dict(detail),
        "previous": row["previous_hash"],
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def event_hash(row: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(row)).hexdigest()


def encode_detail(detail: Mapping[str, object]) -> str:
    """A detail object as stored: text values only, keys sorted (the same bytes every time)."""
    return json.dumps({str(k): str(v) for k, v in detail.items()}, sort_keys=True, ensure_ascii=False)
