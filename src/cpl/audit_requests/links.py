"""The share link an answer makes for the auditors, and its passcode, derived rather than kept.

Why a passcode at all: the link travels (an auditor forwards it, pastes it in a case file); the
passcode is shown only in cpl, to the organisation's signed-in auditors, so a link that leaks
alone opens nothing. Why derived: exports keep only a hash of a link's token (a copy of the
database opens nothing), yet the auditors must be able to see the link again whenever they
look. So each answer draws a random salt, kept with the request, and the token and the passcode
are HMAC-SHA-256 of it under a key derived from the service's secret key for this purpose alone
(:func:`cpl.secret_key.purpose_key`): whoever holds the database without the secret key can
compute neither.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

import anyio.to_thread

from cpl.secret_key import purpose_key
from cpl.settings import Settings

PURPOSE = b"audit-request-share"
#: Crockford's base32 alphabet (no I, L, O, U): a passcode is read off a screen and typed.
PASSCODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PASSCODE_LENGTH = 12


def new_salt() -> str:
    return secrets.token_hex(16)


async def _mac(settings: Settings, label: bytes, salt: str) -> bytes:
    key = await anyio.to_thread.run_sync(purpose_key, settings, PURPOSE)
    return hmac.new(key, label + b"\x00" + salt.encode(), hashlib.sha256).digest()


async def share_token(settings: Settings, salt: str) -> str:
    """The link's token: 256 bits, URL-safe, as exports' own tokens are."""
    return base64.urlsafe_b64encode(await _mac(settings, b"token", salt)).rstrip(b"=").decode()


async def share_passcode(settings: Settings, salt: str) -> str:
    """Twelve characters of Crockford's base32 (60 bits), in groups of four: ``7KQ2-M9XD-4HTR``."""
    digest = await _mac(settings, b"passcode", salt)
    characters = "".join(PASSCODE_ALPHABET[byte % 32] for byte in digest[:PASSCODE_LENGTH])
    return "-".join(characters[index : index + 4] for index in range(0, PASSCODE_LENGTH, 4))
