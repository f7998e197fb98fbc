"""JSON nested too deeply is refused before any decoder sees it.

Python's and msgspec's decoders recurse once per level of nesting: a body of 1,000 ``[``
exhausts the interpreter's stack (``RecursionError``) inside the decoder or the validator,
which used to answer 500. No document cpl reads nests deeper than a dozen levels (a portable
record is the deepest, at about eight), so anything deeper than :data:`MAX_JSON_DEPTH` is
refused as malformed (400) — in request bodies (:class:`JsonDepthMiddleware`), imported records
and bundles, framework packages and credentials (:func:`loads_json`). RFC 8259 §9 lets a
parser "set limits on the maximum depth of nesting".
"""

from __future__ import annotations

import json
import re
from typing import Any

from litestar import Request
from litestar.types import ASGIApp, Receive, Scope, Send

from cpl.errors import MalformedRequest

MAX_JSON_DEPTH = 64

#: A JSON string (skipped whole, escapes included) or one bracket.
_STRING_OR_BRACKET = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
_OPENING = frozenset(b"[{")


def json_depth_exceeds(data: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when the JSON text opens more than ``limit`` arrays or objects inside each other.

    Linear in the size of the text and without recursion; a text with fewer brackets than the
    limit in all (nearly every request) is answered without scanning it.
    """
    if data.count(b"[") + data.count(b"{") <= limit:
        return False
    depth = 0
    for found in _STRING_OR_BRACKET.finditer(data):
        first = found.group()[0]
        if first in _OPENING:
            depth += 1
            if depth > limit:
                return True
        elif first != ord('"'):
            depth -= 1
    return False


def _too_deep(what: str) -> MalformedRequest:
    return MalformedRequest(f"{what} nests arrays or objects more than {MAX_JSON_DEPTH} levels deep.")


def loads_json(data: bytes | str, what: str) -> Any:
    """Decode untrusted JSON text, refusing deep nesting first (400); other decoding errors are the caller's."""
    raw = data.encode() if isinstance(data, str) else data
    if json_depth_exceeds(raw):
        raise _too_deep(what)
    return json.loads(data)


def _is_json(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"content-type":
            media_type = value.split(b";")[0].strip().lower()
            return media_type == b"application/json" or media_type.endswith(b"+json")
    return False


def _decodes_a_body(scope: Scope) -> bool:
    """Whether the route's handler takes a decoded ``data`` body (streamed uploads do not, and are not read here)."""
    handler = scope.get("route_handler")
    return handler is not None and "data" in handler.parsed_fn_signature.parameters


class JsonDepthMiddleware:
    """Reads the JSON body of every route that decodes one and refuses deep nesting (400).

    The body read here is kept in the request's state, where Litestar reads it again for
    the handler, so it is received once; the app-wide body-size limit still applies.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _is_json(scope) and _decodes_a_body(scope):
            body = await Request(scope, receive).body()
            if json_depth_exceeds(body):
                raise _too_deep("The request body")
        await self.app(scope, receive, send)
