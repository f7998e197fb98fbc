"""The issuer's private key is stored encrypted under the service's secret key, never in clear.

Whoever reads the database (a backup, a copied SQLite file, a read-only SQL account) must not
be able to sign credentials in cpl's name. Each private key is sealed with AES-256-GCM (NIST
SP 800-38D) under a key derived from the secret key, its ``kid`` bound in as associated data so
a sealed key cannot be moved to another row.

The secret key comes from ``CPL_SECRET_KEY_FILE`` (at least 32 bytes; every server process of
one service must read the same file); without it, one is generated at first start in
``data_dir/secret.key`` (mode 0600) and the log says so. Losing it means the stored private
keys can no longer sign: rotate (published keys keep verifying). Keys stored in clear by
earlier versions are sealed at start-up (:func:`cpl.signing.service.ensure_issuer_key`).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from cpl.private_files import private_folder, write_once
from cpl.settings import Settings

logger = logging.getLogger("cpl")

SEALED_PREFIX = "cpl-sealed-v1:"
PLAINTEXT_PREFIX = "-----BEGIN"
SECRET_FILE_NAME = "secret.key"
SECRET_MIN_BYTES = 32
_NONCE_BYTES = 12
_PURPOSE = b"cpl issuer private key sealing v1\x00"


class SecretKeyUnusable(RuntimeError):
    """The secret key is missing, too short, or not the one the stored keys were sealed with."""


def _generated_secret(settings: Settings) -> bytes:
    path = private_folder(settings.data_dir) / SECRET_FILE_NAME
    if not path.exists():
        logger.warning(
            "No CPL_SECRET_KEY_FILE: generated a secret key at %s (mode 0600). It encrypts the issuer's "
            "signing key in the database: back it up with the database, or set CPL_SECRET_KEY_FILE.",
            path.resolve(),
        )
    return write_once(path, secrets.token_bytes(SECRET_MIN_BYTES))


def sealing_key(settings: Settings) -> bytes:
    """The AES-256 key derived from the secret key (blocking: reads, or first creates, a file)."""
    if settings.secret_key_file is not None:
        try:
            secret = settings.secret_key_file.read_bytes()
        except OSError as error:
            raise SecretKeyUnusable(f"CPL_SECRET_KEY_FILE cannot be read: {error}") from error
        if len(secret.strip()) < SECRET_MIN_BYTES:
            raise SecretKeyUnusable(f"CPL_SECRET_KEY_FILE must hold at least {SECRET_MIN_BYTES} bytes.")
    else:
        secret = _generated_secret(settings)
    return hashlib.sha256(_PURPOSE + secret.strip()).digest()


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
