"""Time-based one-time passwords (RFC 6238) and the secrets behind them, with no database.

Rules:

- A secret is 160 random bits (RFC 4226 §4 recommends at least 128, 160 is the HMAC-SHA1 block
  the authenticator apps expect), base32 as in the ``otpauth://`` key URI format that Google
  Authenticator, Aegis, 1Password and the rest read. Codes are 6 digits, SHA-1, 30-second steps:
  the only parameters every authenticator app honours.
- A code is accepted for the current step or one step either side (RFC 6238 §5.2 allows "at
  most one time step" of network delay and clock drift). The step it matched is returned, so the
  caller can refuse a second use of that step or any earlier one (RFC 6238 §5.2: "the verifier
  MUST NOT accept the second attempt of the OTP after the successful validation").
- Recovery codes are 10 characters from a 32-letter alphabet (50 random bits), shown once;
  only their SHA-256 is kept. Their strength comes from their randomness and the attempt
  throttle, as with bearer tokens, so a fast hash is enough.
- At rest a secret is sealed with AES-256-GCM under the service's key for this purpose
  (:func:`cpl.secret_key.purpose_key`: ``CPL_SECRET_KEY_FILE``, or the key file made at first
  start); it never leaves the service after enrolment. Changing the secret key file makes
  sealed secrets unreadable: their owners need ``cpl users reset-second-factor``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import secrets
from datetime import datetime

import pyotp
import qrcode
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from qrcode.image.pil import PilImage

from cpl.secret_key import purpose_key
from cpl.settings import Settings

STEP_SECONDS = 30
DIGITS = 6
#: Steps either side of the current one that a code may come from (RFC 6238 §5.2).
WINDOW = 1
RECOVERY_CODES = 10
#: RFC 4648 base32 letters, lower-cased (no 0, 1, 8 or 9 to mistake for O, I, B or g).
_RECOVERY_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
_SEALED = "aesgcm1:"
_KEY_INFO = b"cpl second-factor secrets v1"


def new_secret() -> str:
    return pyotp.random_base32(32)


def key_uri(secret: str, account_email: str, issuer: str) -> str:
    """The ``otpauth://totp/…`` URI authenticator apps read from the QR code."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=account_email, issuer_name=issuer
    )


def qr_code_png(uri: str) -> bytes:
    """The URI as a PNG QR code (blocking: run it in a worker thread)."""
    image = qrcode.make(uri, image_factory=PilImage, box_size=6, border=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def step_at(moment: datetime) -> int:
    return int(moment.timestamp()) // STEP_SECONDS


def matching_step(secret: str, code: str, moment: datetime) -> int | None:
    """The time step within the window whose code this is, or None."""
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    current = step_at(moment)
    for step in range(current - WINDOW, current + WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def new_recovery_codes() -> list[str]:
    """Ten codes like ``k7qm2-xw9ta``, shown once."""
    codes = []
    for _ in range(RECOVERY_CODES):
        letters = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{letters[:5]}-{letters[5:]}")
    return codes


def recovery_code_hash(code: str) -> str:
    """SHA-256 of the code as typed, ignoring case, spaces and hyphens."""
    normalised = "".join(code.lower().split()).replace("-", "")
    return hashlib.sha256(normalised.encode()).hexdigest()


def seal(settings: Settings, secret: str) -> str:
    """The secret as stored, sealed under the service's key (blocking: may read the key file)."""
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(purpose_key(settings, _KEY_INFO)).encrypt(nonce, secret.encode(), _KEY_INFO)
    return _SEALED + base64.urlsafe_b64encode(nonce + sealed).decode()


def unseal(settings: Settings, stored: str) -> str:
    raw = base64.urlsafe_b64decode(stored.removeprefix(_SEALED))
    return AESGCM(purpose_key(settings, _KEY_INFO)).decrypt(raw[:12], raw[12:], _KEY_INFO).decode()
