"""The local backend's own upload URL: where a client sends a file straight to storage.

On S3 the presigned POST goes to the store itself and this route answers 404. The URL's
signature is the authorisation (no bearer token), exactly as with a presigned S3 URL.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from litestar import Controller, Request, put
from litestar.di import NamedDependency
from litestar.exceptions import InternalServerException
from litestar.params import FromPath, QueryParameter

from cpl.accounts.auth import PUBLIC
from cpl.errors import MalformedRequest, NotFound
from cpl.kernel.schemas import BODY_MEDIA_TYPES
from cpl.problems import problem_responses
from cpl.storage.base import Storage, is_valid_key
from cpl.storage.local import LocalStorage


async def body_chunks(request: Request[Any, Any, Any]) -> AsyncIterator[bytes]:
    """The request body as it arrives; a client that hangs up mid-body is a malformed request."""
    try:
        async for chunk in request.stream():
            if chunk:
                yield chunk
    except InternalServerException as error:
        raise MalformedRequest("The request body ended before it was complete.") from error


class LocalUploadController(Controller):
    path = "/v1/storage/uploads"
    tags = ["attachments"]

    @put(
        "/{name:str}",
        operation_id="putDirectUpload",
        status_code=204,
        opt={PUBLIC: True, BODY_MEDIA_TYPES: ("*/*",)},
        #: The size limit is the slot's, enforced while streaming; the app-wide 1 MB JSON limit does not apply.
        request_max_body_size=None,
        responses=problem_responses(400, 403, 404, 413, 422, 503),
    )
    async def receive(
        self,
        request: Request[Any, Any, Any],
        name: FromPath[str],
        storage: NamedDependency[Storage],
        size: Annotated[int, QueryParameter(ge=0)],
        expires: Annotated[int, QueryParameter(ge=0)],
        signature: Annotated[str, QueryParameter(min_length=64, max_length=64)],
    ) -> None:
        """Receive the bytes of a direct upload to the local store, through a signed, expiring URL."""
        key = f"uploads/{name}"
        if not isinstance(storage, LocalStorage) or not is_valid_key(key):
            raise NotFound("No such upload URL.")
        await storage.receive_direct_upload(key, size, expires, signature, body_chunks(request))
