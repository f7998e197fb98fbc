"""Request and response bodies of Web Push: the browser's ``PushSubscription.toJSON()`` as it is."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Annotated
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric import ec
from pydantic import Field, field_validator

from cpl.kernel.fields import Line
from cpl.kernel.schemas import Out, RequestModel

#: RFC 8291 section 3.2: the device's public key is an uncompressed P-256 point; its auth secret is 16 bytes.
P256_POINT_BYTES = 65
AUTH_SECRET_BYTES = 16


def _base64url(value: str) -> bytes:
    if not value or value.strip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_="):
        raise ValueError("must be base64url")
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except binascii.Error as error:
        raise ValueError("must be base64url") from error


class SubscriptionKeys(RequestModel):
    p256dh: Annotated[str, Field(max_length=128)]
    auth: Annotated[str, Field(max_length=64)]

    @field_validator("p256dh")
    @classmethod
    def _p256_point(cls, value: str) -> str:
        raw = _base64url(value)
        if len(raw) != P256_POINT_BYTES or raw[0] != 4:
            raise ValueError(f"must be an uncompressed P-256 point ({P256_POINT_BYTES} bytes), base64url")
        try:
            ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
        except ValueError as error:
            raise ValueError("is not a point on the P-256 curve") from error
        return value.rstrip("=")

    @field_validator("auth")
    @classmethod
    def _auth_secret(cls, value: str) -> str:
        if len(_base64url(value)) != AUTH_SECRET_BYTES:
            raise ValueError(f"must be {AUTH_SECRET_BYTES} bytes, base64url")
        return value.rstrip("=")


class PushSubscriptionIn(RequestModel):
    """A device's push subscription, as the browser's ``PushSubscription.toJSON()`` gives it."""

    endpoint: Line(2048, min_length=1)
    #: As the browser gives it; not used (push services answer 404/410 for an expired subscription).
    expirationTime: int | None = None
    keys: SubscriptionKeys


class PushSubscriptionOut(Out):
    id: UUID
    endpoint: str
    created_at: datetime
    updated_at: datetime


class PushKeyOut(Out):
    #: The VAPID public key: an uncompressed P-256 point, base64url (``applicationServerKey``).
    public_key: str
