"""The local store's own upload URL: where a client sends a file straight to storage.

On S3 the presigned POST goes to the store itself and this route answers 404. The URL's
signature is the authorisation (no bearer token), exactly as with a presigned S3 URL; the
slot it belongs to must still be open (:func:`cpl.attachments.slots.check_slot_takes_bytes`).
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, put
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter

from cpl.accounts.auth import PUBLIC
from cpl.attachments.slots import check_slot_takes_bytes
from cpl.errors import NotFound
from cpl.kernel.schemas import BODY_MEDIA_TYPES
from cpl.problems import problem_responses
from cpl.storage import Storage
from cpl.storage.base import is_valid_key
from cpl.storage.local import LocalStorage
from cpl.storage.routes import body_chunks


def _slot_id(name: str) -> UUID:
    try:
        return UUID(hex=name)
    except ValueError as error:
        raise NotFound("No such upload URL.") from error


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
        responses=problem_responses(400, 403, 404, 410, 413, 422, 503),
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
        """Receive the bytes of a direct upload to the local store, through a signed, expiring URL of an open slot."""
        key = f"uploads/{name}"
        if not isinstance(storage, LocalStorage) or not is_valid_key(key):
            raise NotFound("No such upload URL.")
        storage.check_signature(key, size, expires, signature)
        await check_slot_takes_bytes(_slot_id(name))
        await storage.receive_direct_upload(key, size, expires, signature, body_chunks(request))
