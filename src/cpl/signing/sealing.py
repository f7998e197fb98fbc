"""The issuer's private key is stored encrypted under the service's secret key, never in clear.

Whoever reads the database (a backup, a copied SQLite file, a read-only SQL account) must not
be able to sign credentials in cpl's name. Each private key is sealed with AES-256-GCM (NIST
SP 800-38D) under a key derived from the secret key, its ``kid`` bound in as associated data so
a sealed key cannot be moved to another row.

The secret key is the service's (:mod:`cpl.secret_key`: ``CPL_SECRET_KEY_FILE``, or
``data_dir/secret.key`` made at first start). Losing it means the stored private
keys can no longer sign: rotate (published keys keep verifying). Keys stored in clear by
earlier versions are sealed at start-up (:func:`cpl.signing.service.ensure_issuer_key`).
"""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from cpl.secret_key import SecretKeyUnusable, purpose_key
from cpl.settings import Settings

SEALED_PREFIX = "cpl-sealed-v1:"
PLAINTEXT_PREFIX = "-----BEGIN"
_NONCE_BYTES = 12
_PURPOSE = b"cpl issuer private key sealing v1"


def sealing_key(settings: Settings) -> bytes:
    """The AES-256 key that seals issuer keys (blocking: reads, or first creates, the secret key file)."""
    return purpose_key(settings, _PURPOSE)


def is_sealed(stored: str) -> bool:
    return stored.startswith(SEALED_PREFIX)


def seal(key: bytes, kid: str, pem: str) -> str:
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, pem.encode(), kid.encode())
    return SEALED_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def unseal(key: bytes, kid: str, stored: str) -> str:
    """The PEM of a stored private key; one still in clear (before its start-up sealing) as it is."""
    if stored.startswith(PLAINTEXT_PREFIX):
        return stored
    raw = base64.urlsafe_b64decode(stored.removeprefix(SEALED_PREFIX))
    try:
        return AESGCM(key).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], kid.encode()).decode()
    except InvalidTag as error:
        raise SecretKeyUnusable(
            f"The issuer key {kid} was sealed with another secret key than this one: set CPL_SECRET_KEY_FILE "
            "to the service's secret key file (or rotate the issuer key, which makes a new one)."
        ) from error
