"""HTTP routes: files on an entry, downloads, and direct uploads."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Response, delete, get, post, put
from litestar.background_tasks import BackgroundTask
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, HeaderParameter, JSONBody, QueryParameter

from cpl.attachments import cleanup, service
from cpl.attachments.downloads import PRESIGNED_REDIRECT, stored_file
from cpl.attachments.filenames import filename_from_header
from cpl.attachments.ingest import attach_file, promote_later, settled
from cpl.attachments.receive import MULTIPART_OVERHEAD, Spooled, discard, multipart_file, spool, spool_directory
from cpl.attachments.schemas import AttachmentOut, DirectUploadOut, UploadSlotIn, UploadSlotOut, attachment_out
from cpl.attachments.slots import complete_slot, open_slot
from cpl.attachments.tee import StagingTee
from cpl.errors import MalformedRequest, NotFound, TooLarge
from cpl.evidence.service import owned_entry
from cpl.kernel.principal import AuthedRequest
from cpl.kernel.schemas import ANSWER_MEDIA_TYPES, BODY_MEDIA_TYPES
from cpl.problems import problem_responses
from cpl.settings import Settings
from cpl.storage import Storage
from cpl.storage.routes import body_chunks

ALREADY_LINKED = {
    200: ResponseSpec(generate_examples=False, data_container=AttachmentOut, description="Already on this entry")
}
DOWNLOAD_RESPONSES = {**PRESIGNED_REDIRECT, **problem_responses(401, 404, 503)}


async def _out(row: dict[str, Any], status: int = 200, storage: Storage | None = None) -> Response[AttachmentOut]:
    """The attachment; a staged one is promoted once the response has gone (see :mod:`cpl.attachments.ingest`)."""
    entries = await service.linked_entries([row["id"]])
    promotion = BackgroundTask(promote_later, storage, row) if storage and row["state"] == "staged" else None
    return Response(attachment_out(row, entries[row["id"]]), status_code=status, background=promotion)


async def _receive(
    request: AuthedRequest, storage: Storage, settings: Settings, filename: str | None
) -> tuple[Spooled, str | None]:
    """Spool the body: the ``file`` part of a multipart form, or the raw body itself.

    A raw body of announced length is sent on to the store while it arrives (:mod:`cpl.attachments.tee`).
    """
    limit = settings.attachment_max_bytes
    length = request.content_length
    if (length or 0) > limit + MULTIPART_OVERHEAD:
        raise TooLarge(f"The file is larger than the {limit:,}-byte limit.")
    media_type, options = request.content_type
    chunks = body_chunks(request)
    tee = None
    if media_type == "multipart/form-data":
        if not options.get("boundary"):
            raise MalformedRequest("multipart/form-data needs a boundary in its Content-Type.")
        filename, chunks = await multipart_file(chunks, options["boundary"], limit)
    elif length:
        tee = StagingTee(storage, length)
    return await spool(chunks, await spool_directory(settings), limit, tee), filename


class EntryAttachmentsController(Controller):
    path = "/v1/evidence/{entry_id:uuid}/attachments"
    tags = ["attachments"]

    @post(
        "",
        operation_id="uploadAttachment",
        opt={BODY_MEDIA_TYPES: ("multipart/form-data", "*/*")},
        status_code=201,
        #: Files are streamed to disk under ``attachment_max_bytes``, checked while they arrive;
        #: the app-wide 1 MB JSON limit does not apply here.
        request_max_body_size=None,
        responses={**ALREADY_LINKED, **problem_responses(400, 401, 404, 410, 413, 415, 422, 503)},
    )
    async def upload(
        self,
        request: AuthedRequest,
        entry_id: FromPath[UUID],
        storage: NamedDependency[Storage],
        settings: NamedDependency[Settings],
        filename: Annotated[str | None, QueryParameter(max_length=255, description="For a raw body")] = None,
        disposition: Annotated[str | None, HeaderParameter(name="Content-Disposition", max_length=1000)] = None,
    ) -> Response[AttachmentOut]:
        """Attach a file: ``multipart/form-data`` with a ``file`` field, or the raw bytes with a
        ``filename`` query parameter or ``Content-Disposition`` header. Its type is read from its bytes."""
        owner = request.user.account_id
        await owned_entry(owner, entry_id)
        spooled, name = await _receive(request, storage, settings, filename or filename_from_header(disposition))
        try:
            row, created = await attach_file(storage, settings, owner, entry_id, spooled, name)
        finally:
            await discard(spooled.path)
        return await _out(row, 201 if created else 200, storage)

    @get("", operation_id="listEntryAttachments", responses=problem_responses(401, 404, 410))
    async def list_attachments(self, request: AuthedRequest, entry_id: FromPath[UUID]) -> list[AttachmentOut]:
        """The files attached to one of my entries."""
        rows = await service.entry_attachments(request.user.account_id, entry_id)
        entries = await service.linked_entries([row["id"] for row in rows])
        return [attachment_out(row, entries[row["id"]]) for row in rows]

    @put(
        "/{attachment_id:uuid}",
        operation_id="linkAttachment",
        status_code=201,
        responses={**ALREADY_LINKED, **problem_responses(401, 404, 410)},
    )
    async def link(
        self, request: AuthedRequest, entry_id: FromPath[UUID], attachment_id: FromPath[UUID]
    ) -> Response[AttachmentOut]:
        """Let a file I already stored support this entry too (one certificate, many entries)."""
        row, created = await service.link_attachment(request.user.account_id, entry_id, attachment_id)
        return await _out(row, 201 if created else 200)

    @delete(
        "/{attachment_id:uuid}",
        operation_id="unlinkAttachment",
        status_code=204,
        responses=problem_responses(401, 404, 410),
    )
    async def unlink(
        self,
        request: AuthedRequest,
        entry_id: FromPath[UUID],
        attachment_id: FromPath[UUID],
        storage: NamedDependency[Storage],
    ) -> None:
        """Take a file off this entry; it stays on my other entries, and is deleted when none is left."""
        keys = await service.unlink_attachment(request.user.account_id, entry_id, attachment_id)
        await cleanup.delete_released(storage, keys)


class AttachmentController(Controller):
    path = "/v1/attachments/{attachment_id:uuid}"
    tags = ["attachments"]

    @get("", operation_id="getAttachment", responses=problem_responses(401, 404))
    async def metadata(self, request: AuthedRequest, attachment_id: FromPath[UUID]) -> Response[AttachmentOut]:
        """One attachment's details: name, type, sizes and checksums."""
        return await _out(await service.visible_attachment(request.user.account_id, attachment_id))

    @get(
        "/content",
        operation_id="downloadAttachment",
        opt={ANSWER_MEDIA_TYPES: ("*/*",)},
        responses=DOWNLOAD_RESPONSES,
    )
    async def content(
        self,
        request: AuthedRequest,
        attachment_id: FromPath[UUID],
        storage: NamedDependency[Storage],
        settings: NamedDependency[Settings],
    ) -> Response:
        """The file, as an attachment: a redirect to a presigned URL (S3) or the bytes (local store)."""
        row = await settled(storage, await service.visible_attachment(request.user.account_id, attachment_id))
        return await stored_file(storage, settings, row["object_key"], row["filename"], row["media_type"])

    @get(
        "/thumbnail",
        operation_id="downloadAttachmentThumbnail",
        opt={ANSWER_MEDIA_TYPES: ("image/jpeg",)},
        responses=DOWNLOAD_RESPONSES,
    )
    async def thumbnail(
        self,
        request: AuthedRequest,
        attachment_id: FromPath[UUID],
        storage: NamedDependency[Storage],
        settings: NamedDependency[Settings],
    ) -> Response:
        """A JPEG no bigger than 320×320 pixels, for images only."""
        row = await settled(storage, await service.visible_attachment(request.user.account_id, attachment_id))
        if not row["thumbnail_key"]:
            raise NotFound("Only images have a thumbnail.")
        name = row["filename"].rsplit(".", 1)[0] + "-thumbnail.jpg"
        return await stored_file(storage, settings, row["thumbnail_key"], name, "image/jpeg")


class UploadController(Controller):
    path = "/v1/uploads"
    tags = ["attachments"]

    @post(
        "",
        operation_id="openUploadSlot",
        status_code=201,
        responses=problem_responses(400, 401, 404, 410, 413, 415, 422, 503),
    )
    async def open(
        self,
        request: AuthedRequest,
        data: JSONBody[UploadSlotIn],
        storage: NamedDependency[Storage],
        settings: NamedDependency[Settings],
    ) -> UploadSlotOut:
        """Ask for a slot to send a file straight to storage; then upload it as ``upload`` says, and complete."""
        row, direct, already_stored = await open_slot(storage, settings, request.user.account_id, data)
        return UploadSlotOut(
            id=row["id"],
            entry_id=row["entry"],
            expires_at=row["expires_at"],
            upload=DirectUploadOut(method=direct.method, url=direct.url, fields=direct.fields, headers=direct.headers),
            complete_url=f"/v1/uploads/{row['id']}/complete",
            already_stored=already_stored,
        )

    @post(
        "/{slot_id:uuid}/complete",
        operation_id="completeUpload",
        status_code=201,
        responses={**ALREADY_LINKED, **problem_responses(401, 404, 409, 410, 413, 415, 422, 503)},
    )
    async def complete(
        self,
        request: AuthedRequest,
        slot_id: FromPath[UUID],
        storage: NamedDependency[Storage],
        settings: NamedDependency[Settings],
    ) -> Response[AttachmentOut]:
        """Check the uploaded file (size, SHA-256, type from its bytes, then the usual checks) and attach it."""
        row, created = await complete_slot(storage, settings, request.user.account_id, slot_id)
        return await _out(row, 201 if created else 200, storage)
