"""The service's VAPID key (RFC 8292): push services accept a push only when it is signed by the
key the device subscribed with, so every node of one service must sign with the same key.

- Supplied by settings (``CPL_VAPID_PRIVATE_KEY_FILE``, a P-256 private key in PEM, as
  ``vapid --gen`` writes it): used as it is, never stored.
- Otherwise made at first start and stored in ``vapid_key``, its private half sealed under the
  service's secret key (the issuer key's sealing, :mod:`cpl.signing.sealing`, with a key derived
  for this purpose alone), so whoever reads the database cannot push in cpl's name. The row's
  primary key lets one key in when several nodes start at once; the others read it.

Changing the key (a new file, a new secret) leaves every device's subscription unable to
receive: each phone must turn notifications on again (the app then drops a subscription made
with another key and subscribes with the served one).
"""

from __future__ import annotations

import base64
import sqlite3
from dataclasses import dataclass

import anyio.to_thread
from asyncpg.exceptions import UniqueViolationError
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from cpl.push import repository
from cpl.secret_key import SecretKeyUnusable, purpose_key
from cpl.settings import Settings
from cpl.signing.sealing import seal, unseal

_PURPOSE = b"cpl vapid private key sealing v1"
_KID = "vapid"


class VapidKeyUnusable(RuntimeError):
    """The settings' VAPID key is not a P-256 private key, or the stored one cannot be unsealed."""


@dataclass(frozen=True)
class VapidKey:
    private_key: ec.EllipticCurvePrivateKey
    #: The uncompressed public point, base64url without padding (the app's ``applicationServerKey``).
    public_key: str


def public_point(key: ec.EllipticCurvePublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _vapid_key(private_key: ec.EllipticCurvePrivateKey) -> VapidKey:
    return VapidKey(private_key=private_key, public_key=public_point(private_key.public_key()))


def _load_pem(pem: bytes) -> ec.EllipticCurvePrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except ValueError as error:
        raise VapidKeyUnusable(f"CPL_VAPID_PRIVATE_KEY_FILE holds no readable PEM private key: {error}") from error
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise VapidKeyUnusable("CPL_VAPID_PRIVATE_KEY_FILE must hold a P-256 (prime256v1) private key (RFC 8292).")
    return key


def _pem(key: ec.EllipticCurvePrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")


async def _supplied(settings: Settings) -> VapidKey | None:
    if settings.vapid_private_key_file is None:
        return None
    try:
        pem = await anyio.to_thread.run_sync(settings.vapid_private_key_file.read_bytes)
    except OSError as error:
        raise VapidKeyUnusable(f"CPL_VAPID_PRIVATE_KEY_FILE cannot be read: {error}") from error
    return _vapid_key(_load_pem(pem))


async def _sealing_key(settings: Settings) -> bytes:
    return await anyio.to_thread.run_sync(purpose_key, settings, _PURPOSE)


def _unsealed(sealing: bytes, stored: str) -> VapidKey:
    try:
        return _vapid_key(_load_pem(unseal(sealing, _KID, stored).encode()))
    except SecretKeyUnusable as error:
        raise VapidKeyUnusable(
            "The stored VAPID key was sealed with another secret key than this one: set CPL_SECRET_KEY_FILE to "
            "the service's secret key file."
        ) from error


async def ensure_vapid_key(settings: Settings) -> None:
    """At start-up: check the supplied key, or make and store one if none is stored (a wrong
    secret key fails start-up, loudly)."""
    await vapid_key(settings)


async def vapid_key(settings: Settings) -> VapidKey:
    """The key to sign pushes with (made and stored at the first call when none is)."""
    supplied = await _supplied(settings)
    if supplied is not None:
        return supplied
    sealing = await _sealing_key(settings)
    stored = await repository.stored_vapid_key()
    if stored is None:
        made = _vapid_key(ec.generate_private_key(ec.SECP256R1()))
        try:
            await repository.insert_vapid_key(made.public_key, seal(sealing, _KID, _pem(made.private_key)))
            return made
        except (UniqueViolationError, sqlite3.IntegrityError):
            stored = await repository.stored_vapid_key()  # another node installed one at the same moment
    return _unsealed(sealing, stored["private_key"])
