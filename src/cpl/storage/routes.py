"""Reading a request body as it arrives, for the routes that stream files to storage."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from litestar import Request
from litestar.exceptions import InternalServerException

from cpl.errors import MalformedRequest


async def body_chunks(request: Request[Any, Any, Any]) -> AsyncIterator[bytes]:
    """The request body as it arrives; a client that hangs up mid-body is a malformed request."""
    try:
        async for chunk in request.stream():
            if chunk:
                yield chunk
    except InternalServerException as error:
        raise MalformedRequest("The request body ended before it was complete.") from error
