"""Opaque keyset-pagination cursors: a short list of text values, base64url-encoded."""

from __future__ import annotations

import base64
import binascii
import json

from cpl.errors import MalformedRequest


def encode_cursor(*values: str) -> str:
    raw = json.dumps(list(values))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, count: int) -> list[str]:
    """The ``count`` values of a cursor this service gave out; a malformed one is refused (400)."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error) as error:
        raise MalformedRequest("The cursor is not one this service gave out.") from error
    if not isinstance(values, list) or len(values) != count or not all(isinstance(value, str) for value in values):
        raise MalformedRequest("The cursor is not one this service gave out.")
    return values
