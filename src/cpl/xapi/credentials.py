"""LRS credentials: HTTP Basic user names and secrets an organisation's admins issue to its learning system.

- Only an admin of the organisation makes, lists and revokes them (others: 403; non-members: 404).
- The secret is shown once, in the answer that makes it; only its SHA-256 is stored.
- A revoked credential opens nothing (401, as an unknown one).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from typing import Any
from uuid import UUID, uuid4

from cpl.errors import NotAuthenticated, NotFound
from cpl.kernel import clock
from cpl.organisations.service import admin_organisation
from cpl.xapi import repository

CHALLENGE = {"WWW-Authenticate": 'Basic realm="cpl xAPI"'}


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def create(admin: UUID, organisation: UUID, label: str) -> dict[str, Any]:
    """A new credential; the answer is the only place its secret is ever shown."""
    await admin_organisation(admin, organisation)
    secret = secrets.token_urlsafe(32)
    row = {
        "id": uuid4(),
        "organisation": organisation,
        "key": f"lrs-{secrets.token_hex(12)}",
        "secret_hash": _hash(secret),
        "label": label,
        "created_by": admin,
        "created_at": clock.now(),
        "revoked_at": None,
    }
    await repository.insert_credential(row)
    return {**row, "secret": secret}


async def list_for(admin: UUID, organisation: UUID) -> list[dict[str, Any]]:
    await admin_organisation(admin, organisation)
    return await repository.credentials_of(organisation)


async def revoke(admin: UUID, organisation: UUID, credential: UUID) -> None:
    """Revoke a credential; revoking it again changes nothing."""
    await admin_organisation(admin, organisation)
    if await repository.revoke_credential(organisation, credential, clock.now()) is None:
        raise NotFound("No LRS credential with this id.")


async def authenticate(authorization: str) -> dict[str, Any]:
    """The live credential an ``Authorization: Basic`` header names, or 401."""
    scheme, _, encoded = authorization.partition(" ")
    try:
        key, _, secret = base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        key = secret = ""
    if scheme.lower() != "basic" or not key:
        raise NotAuthenticated(
            "Send the organisation's LRS credentials ('Authorization: Basic' with its key and secret).",
            headers=dict(CHALLENGE),
        )
    row = await repository.credential_by_key(key)
    if row is None or row["revoked_at"] is not None or not hmac.compare_digest(row["secret_hash"], _hash(secret)):
        raise NotAuthenticated("These LRS credentials are unknown or revoked.", headers=dict(CHALLENGE))
    return row
