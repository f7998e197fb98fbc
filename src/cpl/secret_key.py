"""The service's secret key: the one file every key cpl keeps encrypted at rest is derived from.

Whoever reads the database (a backup, a copied SQLite file, a read-only SQL account) must not
be able to sign credentials in cpl's name nor compute a person's second-factor codes. Each kind
of secret is sealed under its own key, derived from this one for that purpose alone
(:func:`purpose_key`), so no two uses share a key.

The secret comes from ``CPL_SECRET_KEY_FILE`` (a file of at least 32 bytes; every server process of
one service must read the same file); without it, one is generated at first start in
``data_dir/secret.key`` (mode 0600) and the log says so.
"""

from __future__ import annotations

import hashlib
import logging
import secrets

from cpl.private_files import private_folder, write_once
from cpl.settings import Settings

logger = logging.getLogger("cpl")

SECRET_FILE_NAME = "secret.key"
SECRET_MIN_BYTES = 32


class SecretKeyUnusable(RuntimeError):
    """The secret key is missing, too short, or not the one the stored secrets were sealed with."""


def _generated_secret(settings: Settings) -> bytes:
    path = private_folder(settings.data_dir) / SECRET_FILE_NAME
    if not path.exists():
        logger.warning(
            "No CPL_SECRET_KEY_FILE: generated a secret key at %s (mode 0600). It encrypts the issuer's "
            "signing key and second-factor secrets in the database: back it up with the database, or set "
            "CPL_SECRET_KEY_FILE.",
            path.resolve(),
        )
    return write_once(path, secrets.token_bytes(SECRET_MIN_BYTES))


def _service_secret(settings: Settings) -> bytes:
    if settings.secret_key_file is None:
        return _generated_secret(settings).strip()
    try:
        held = settings.secret_key_file.read_bytes()
    except OSError as error:
        raise SecretKeyUnusable(f"CPL_SECRET_KEY_FILE cannot be read: {error}") from error
    # Whitespace around the secret is left out (a typed secret ends in a newline), but the file's
    # length is what is checked: 32 random bytes may well begin or end with a whitespace byte.
    if len(held) < SECRET_MIN_BYTES or len(held.strip()) < SECRET_MIN_BYTES // 2:
        raise SecretKeyUnusable(f"CPL_SECRET_KEY_FILE must hold at least {SECRET_MIN_BYTES} bytes.")
    return held.strip()


def purpose_key(settings: Settings, purpose: bytes) -> bytes:
    """The AES-256 key for one purpose (blocking: reads, or first creates, a file).

    SHA-256 over the purpose label, a NUL, and the secret: a different key for every label."""
    return hashlib.sha256(purpose + b"\x00" + _service_secret(settings)).digest()
