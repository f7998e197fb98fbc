"""The issuer key's life: created at first start (or supplied by settings), rotated, published.

Rotation retires the current key and installs a new one; a retired key is never deleted and
stays published, so credentials signed with it keep verifying (issue 7: "rotating the key
keeps earlier exports verifiable").
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

import anyio
from asyncpg.exceptions import UniqueViolationError
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from cpl.db import write_transaction
from cpl.errors import Conflict
from cpl.kernel import clock
from cpl.settings import Settings
from cpl.signing.did import did_document, verification_method_id
from cpl.signing.jws import sign_jws
from cpl.signing.keys import (
    Signer,
    b64url,
    b64url_decode,
    jwk_thumbprint,
    load_private_key_pem,
    private_key_pem,
    public_jwk,
    public_key_multibase,
    raw_public_key,
)
from cpl.signing.sealing import PLAINTEXT_PREFIX, seal, sealing_key, unseal
from cpl.signing.tables import IssuerKey

logger = logging.getLogger("cpl")

INSTALL_RACE = (UniqueViolationError, sqlite3.IntegrityError)


async def _supplied_key(settings: Settings) -> Ed25519PrivateKey | None:
    """The key named by ``issuer_key_pem`` or ``issuer_key_file``, if the operator supplies one."""
    pem = settings.issuer_key_pem.get_secret_value().encode()
    if not pem and settings.issuer_key_file is not None:
        pem = await anyio.to_thread.run_sync(settings.issuer_key_file.read_bytes)
    return load_private_key_pem(pem) if pem else None


async def _sealing_key(settings: Settings) -> bytes:
    return await anyio.to_thread.run_sync(sealing_key, settings)


async def seal_keys_in_clear(key: bytes) -> int:
    """Seal every private key an earlier version stored in clear (a start-up migration: it needs
    the secret key, which a schema migration never sees). Safe to run again, or at once."""
    rows = await IssuerKey.select(IssuerKey.kid, IssuerKey.private_key).where(
        IssuerKey.private_key.like(f"{PLAINTEXT_PREFIX}%")
    )
    for row in rows:
        await IssuerKey.update({IssuerKey.private_key: seal(key, row["kid"], row["private_key"])}).where(
            (IssuerKey.kid == row["kid"]) & (IssuerKey.private_key == row["private_key"])
        )
    return len(rows)


def _sealed_pem(key: bytes, private_key: Ed25519PrivateKey) -> str:
    return seal(key, jwk_thumbprint(private_key.public_key()), private_key_pem(private_key))


async def _current_key() -> dict[str, Any] | None:
    return await IssuerKey.select().where(IssuerKey.current.eq(True)).first()


async def _install(key: Ed25519PrivateKey, stored_pem: str, *, replace: bool) -> None:
    """Make ``key`` the signing key, retiring the current one.

    With ``replace=False`` a current key that can sign (its private half stored here) is
    kept: that is the first-start path, where another process may have just installed one.
    """
    kid = jwk_thumbprint(key.public_key())
    now = clock.now()
    async with write_transaction():
        current = await _current_key()
        if current and (current["kid"] == kid or (current["private_key"] and not replace)):
            return
        if current:
            # Only the key read above: on PostgreSQL a concurrent first start may have committed
            # a key since, and "retire whatever is current" would retire that one too.
            await IssuerKey.update({IssuerKey.current: None, IssuerKey.retired_at: now}).where(
                (IssuerKey.kid == current["kid"]) & IssuerKey.current.eq(True)
            )
        if await IssuerKey.exists().where(IssuerKey.kid == kid):
            await IssuerKey.update({IssuerKey.current: True, IssuerKey.retired_at: None}).where(IssuerKey.kid == kid)
            return
        public_key = b64url(raw_public_key(key.public_key()))
        await IssuerKey.insert(
            IssuerKey(kid=kid, public_key=public_key, private_key=stored_pem, created_at=now, current=True)
        )


async def ensure_issuer_key(settings: Settings) -> None:
    """Install the settings' key, or generate one if there is no key able to sign.

    Safe when several processes start at once: the unique ``current`` column lets only one
    new key in, and the others find it installed.
    """
    supplied = await _supplied_key(settings)
    key = await _sealing_key(settings)
    if sealed := await seal_keys_in_clear(key):
        logger.info("sealed %d issuer private key(s) stored in clear by an earlier version", sealed)
    try:
        if supplied is not None:
            await _install(supplied, "", replace=True)
            return
        current = await _current_key()
        if current is None or not current["private_key"]:
            generated = Ed25519PrivateKey.generate()
            await _install(generated, _sealed_pem(key, generated), replace=False)
        else:
            unseal(key, current["kid"], current["private_key"])  # a wrong secret key fails start-up, loudly
    except INSTALL_RACE:
        return  # another process installed the key at the same moment; that one signs


def _signer(settings: Settings, key: Ed25519PrivateKey) -> Signer:
    kid = jwk_thumbprint(key.public_key())
    method = verification_method_id(settings, kid)
    return Signer(
        kid=kid,
        verification_method=method,
        public_jwk=public_jwk(key.public_key(), method),
        private_key=key,
    )


async def active_signer(settings: Settings) -> Signer:
    """The key to sign with now; a key supplied by settings is published before its first use."""
    supplied = await _supplied_key(settings)
    current = await _current_key()
    if supplied is not None:
        if current is None or current["kid"] != jwk_thumbprint(supplied.public_key()):
            await ensure_issuer_key(settings)
        return _signer(settings, supplied)
    if current is None or not current["private_key"]:
        await ensure_issuer_key(settings)
        current = await _current_key()
    pem = unseal(await _sealing_key(settings), current["kid"], current["private_key"])
    return _signer(settings, load_private_key_pem(pem.encode()))


async def sign_payload(settings: Settings, payload: bytes, *, typ: str) -> str:
    """``payload`` as a compact JWS signed with the current issuer key (audit checkpoints use it)."""
    return sign_jws(await active_signer(settings), payload, typ)


async def rotate_issuer_key(settings: Settings) -> Signer:
    """Retire the current key and sign with a new one from now on; earlier exports still verify."""
    if await _supplied_key(settings) is not None:
        raise Conflict(
            "The issuer key is supplied by settings (CPL_ISSUER_KEY_PEM or CPL_ISSUER_KEY_FILE): "
            "replace it there and restart to rotate."
        )
    generated = Ed25519PrivateKey.generate()
    try:
        await _install(generated, _sealed_pem(await _sealing_key(settings), generated), replace=True)
    except INSTALL_RACE as error:
        raise Conflict("Another rotation happened at the same moment; nothing was changed.") from error
    return _signer(settings, generated)


async def _published_keys() -> list[Ed25519PublicKey]:
    rows = await IssuerKey.select(IssuerKey.public_key).order_by(IssuerKey.created_at).order_by(IssuerKey.kid)
    return [Ed25519PublicKey.from_public_bytes(b64url_decode(row["public_key"])) for row in rows]


async def published_jwks(settings: Settings) -> dict[str, list[dict[str, str]]]:
    """Every key, current and retired, as a JWK Set (RFC 7517 §5), each under its DID URL as ``kid``."""
    keys = await _published_keys()
    return {"keys": [public_jwk(key, verification_method_id(settings, jwk_thumbprint(key))) for key in keys]}


async def published_did_document(settings: Settings) -> dict[str, Any]:
    """The issuer's did:web document, listing every key as a Multikey."""
    keys = await _published_keys()
    return did_document(settings, [(jwk_thumbprint(key), public_key_multibase(key)) for key in keys])
