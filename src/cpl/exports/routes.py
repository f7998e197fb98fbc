"""HTTP routes for the worker: exports, their share links, and imports."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from cpl import audit
from cpl.attachments.downloads import PRESIGNED_REDIRECT, stored_file
from cpl.exports import service, shares
from cpl.exports.formats import EXPORT_MEDIA_TYPES, export_options, file_of
from cpl.exports.imports import import_upload
from cpl.exports.schemas import ExportIn, ExportOut, ExportPage, ImportOut, ShareCreatedOut, ShareIn, ShareOut
from cpl.kernel.events import EventBus
from cpl.kernel.jobs import wake_job
from cpl.kernel.principal import AuthedRequest
from cpl.kernel.schemas import ANSWER_MEDIA_TYPES, BODY_MEDIA_TYPES
from cpl.problems import problem_responses
from cpl.settings import Settings
from cpl.storage import Storage
from cpl.storage.routes import body_chunks


async def export_download(storage: Storage, settings: Settings, row: dict[str, Any]) -> Response:
    """The export's file as an attachment (see :func:`cpl.attachments.downloads.stored_file`)."""
    name, _ = file_of(row["format"], export_options(row))
    return await stored_file(storage, settings, row["storage_key"], f"cpl-export-{row['id']}-{name}", row["media_type"])


class ExportController(Controller):
    path = "/v1/exports"
    tags = ["exports"]

    @post("", operation_id="createExport", status_code=202, responses=problem_responses(400, 401, 422))
    async def create(
        self, request: AuthedRequest, data: JSONBody[ExportIn], settings: NamedDependency[Settings]
    ) -> ExportOut:
        """Queue an export of my record (all of it, or a selection) in one format; follow it with ``GET``."""
        row = await service.create_export(request.user.account_id, data)
        await audit.record(request, "export.created", subject=request.user.account_id, object=f"export:{row['id']}")
        wake_job(request, "export_runner")
        return service.export_out(row, settings)

    @get("", operation_id="listExports", responses=problem_responses(401))
    async def list_exports(self, request: AuthedRequest, settings: NamedDependency[Settings]) -> ExportPage:
        """My 200 most recent exports, newest first."""
        rows = await service.list_exports(request.user.account_id)
        return ExportPage(items=[service.export_out(row, settings) for row in rows])

    @get("/{export_id:str}", operation_id="getExport", responses=problem_responses(401, 404, 422))
    async def get_export(
        self, request: AuthedRequest, export_id: FromPath[UUID], settings: NamedDependency[Settings]
    ) -> ExportOut:
        """The export's status and progress (entries and files done, of the total)."""
        return service.export_out(await service.owned_export(request.user.account_id, export_id), settings)

    @get(
        "/{export_id:str}/download",
        operation_id="downloadExport",
        opt={ANSWER_MEDIA_TYPES: EXPORT_MEDIA_TYPES},
        responses={**PRESIGNED_REDIRECT, **problem_responses(401, 404, 409, 422, 503)},
    )
    async def download(
        self,
        request: AuthedRequest,
        export_id: FromPath[UUID],
        storage: NamedDependency[Storage],
        settings: NamedDependency[Settings],
    ) -> Response:
        """Download a finished export's file (JSON, CSV, PDF, signed credential or bundle)."""
        row = await service.finished_export(request.user.account_id, export_id)
        await audit.record(request, "export.downloaded", subject=request.user.account_id, object=f"export:{export_id}")
        return await export_download(storage, settings, row)

    @post(
        "/{export_id:str}/revoke",
        operation_id="revokeExport",
        status_code=200,
        responses=problem_responses(401, 404, 409, 422),
    )
    async def revoke(
        self, request: AuthedRequest, export_id: FromPath[UUID], settings: NamedDependency[Settings]
    ) -> ExportOut:
        """Withdraw the export for good: verification says ``revoked``, its share links answer 410."""
        row = await service.revoke_export(request.user.account_id, export_id)
        await audit.record(request, "export.revoked", subject=request.user.account_id, object=f"export:{export_id}")
        return service.export_out(row, settings)


class ExportShareController(Controller):
    path = "/v1/exports/{export_id:str}/shares"
    tags = ["exports"]

    @post(
        "", operation_id="createExportShare", status_code=201, responses=problem_responses(400, 401, 404, 409, 410, 422)
    )
    async def create(
        self,
        request: AuthedRequest,
        export_id: FromPath[UUID],
        data: JSONBody[ShareIn],
        settings: NamedDependency[Settings],
    ) -> ShareCreatedOut:
        """A link to this export for someone without an account, with an expiry and an optional passcode."""
        created = await shares.create_share(settings, request.user.account_id, export_id, data)
        await audit.record(
            request, "export_link.created", subject=request.user.account_id, object=f"export:{export_id}"
        )
        return created

    @get("", operation_id="listExportShares", responses=problem_responses(401, 404, 422))
    async def list_shares(self, request: AuthedRequest, export_id: FromPath[UUID]) -> list[ShareOut]:
        """The export's share links, each with every access to it, granted or refused."""
        return await shares.list_shares(request.user.account_id, export_id)

    @delete(
        "/{share_id:str}", operation_id="revokeExportShare", status_code=204, responses=problem_responses(401, 404, 422)
    )
    async def revoke(self, request: AuthedRequest, export_id: FromPath[UUID], share_id: FromPath[UUID]) -> None:
        """Revoke a share link of my export: its holders can no longer open it."""
        await shares.revoke_share(request.user.account_id, export_id, share_id)
        await audit.record(
            request, "export_link.revoked", subject=request.user.account_id, object=f"export:{export_id}"
        )


class ImportController(Controller):
    path = "/v1/imports"
    tags = ["exports"]

    @post(
        "",
        operation_id="importRecord",
        opt={BODY_MEDIA_TYPES: ("application/json", "application/zip")},
        status_code=200,
        #: Records and bundles are spooled to disk under ``import_max_bytes``, not held in memory.
        request_max_body_size=None,
        responses=problem_responses(400, 401, 413, 415, 422, 503),
    )
    async def import_record(
        self,
        request: AuthedRequest,
        storage: NamedDependency[Storage],
        settings: NamedDependency[Settings],
        events: NamedDependency[EventBus],
    ) -> ImportOut:
        """Bring a portable record (``application/json``) or a bundle (``application/zip``, with its files)
        into my account. Importing the same one again changes nothing."""
        media_type, _ = request.content_type
        return await import_upload(
            settings, (storage, events), request.user.account_id, media_type, body_chunks(request)
        )
