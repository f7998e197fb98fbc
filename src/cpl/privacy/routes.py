"""Download my data."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from cpl.attachments.downloads import PRESIGNED_REDIRECT, stored_file
from cpl.kernel.jobs import wake_job
from cpl.kernel.principal import AuthedRequest
from cpl.kernel.schemas import ANSWER_MEDIA_TYPES
from cpl.privacy import data_export
from cpl.privacy.schemas import DataExportOut
from cpl.problems import problem_responses
from cpl.settings import Settings
from cpl.storage import Storage


class DataExportController(Controller):
    path = "/v1/me/data-export"
    tags = ["privacy"]

    @post("", operation_id="requestMyData", status_code=202, responses=problem_responses(401))
    async def request_export(self, request: AuthedRequest) -> DataExportOut:
        """Start making a ZIP of everything cpl holds about me (JSON and a readable HTML index,
        with every file); follow it with ``GET``."""
        row = await data_export.request_data_export(request.user.account_id)
        wake_job(request, "privacy_job")
        return DataExportOut.of(row)

    @get("", operation_id="listMyDataExports", responses=problem_responses(401))
    async def list_exports(self, request: AuthedRequest) -> list[DataExportOut]:
        """My 50 most recent data exports, newest first."""
        return [DataExportOut.of(row) for row in await data_export.my_data_exports(request.user.account_id)]

    @get("/{export_id:uuid}", operation_id="getMyDataExport", responses=problem_responses(401, 404))
    async def get_export(self, request: AuthedRequest, export_id: FromPath[UUID]) -> DataExportOut:
        """One of my data exports: its status and, once done, where to download it and until when."""
        return DataExportOut.of(await data_export.owned_data_export(request.user.account_id, export_id))

    @get(
        "/{export_id:uuid}/download",
        operation_id="downloadMyData",
        responses={**PRESIGNED_REDIRECT, **problem_responses(401, 404, 409)},
        opt={ANSWER_MEDIA_TYPES: ("application/zip",)},
    )
    async def download(
        self,
        request: AuthedRequest,
        export_id: FromPath[UUID],
        storage: NamedDependency[Storage],
        settings: NamedDependency[Settings],
    ) -> Response:
        """The ZIP, while its download window lasts (409 before it is done or after it expired)."""
        row = await data_export.downloadable(request.user.account_id, export_id)
        return await stored_file(
            storage, settings, row["storage_key"], f"cpl-my-data-{row['id']}.zip", data_export.MEDIA_TYPE
        )
