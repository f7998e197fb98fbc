"""Opaque keyset-pagination cursors: a short list of text values, base64url-encoded.

Most pages are ordered by a position (a date or a time) and then by id; their cursor is
the last row's position and id (:func:`keyset_cursor`, :func:`after_keyset`).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from datetime import date
from typing import TypeVar
from uuid import UUID

from cpl.errors import MalformedRequest

Position = TypeVar("Position")

_NOT_OURS = "The cursor is not one this service gave out."


def encode_cursor(*values: str) -> str:
    raw = json.dumps(list(values))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, count: int) -> list[str]:
    """The ``count`` values of a cursor this service gave out; a malformed one is refused (400)."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error) as error:
        raise MalformedRequest(_NOT_OURS) from error
    if not isinstance(values, list) or len(values) != count or not all(isinstance(value, str) for value in values):
        raise MalformedRequest(_NOT_OURS)
    return values


def keyset_cursor(position: date, row_id: UUID | str) -> str:
    """The cursor after a page whose last row sits at ``position`` (a date or a time) with ``row_id``."""
    return encode_cursor(position.isoformat(), str(row_id))


def after_keyset(cursor: str, parse_position: Callable[[str], Position]) -> tuple[Position, UUID]:
    """The position and id a :func:`keyset_cursor` holds; a forged or malformed one is refused (400)."""
    position, row_id = decode_cursor(cursor, 2)
    try:
        return parse_position(position), UUID(row_id)
    except (ValueError, OverflowError) as error:
        raise MalformedRequest(_NOT_OURS) from error
