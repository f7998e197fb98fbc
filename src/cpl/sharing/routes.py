"""HTTP routes: my shares, and the read-only view of what others share with me."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, MediaType, Request, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.response import Stream

from cpl import audit
from cpl.accounts.auth import PUBLIC
from cpl.attachments.filenames import content_disposition
from cpl.errors import NotFound
from cpl.kernel.events import EventBus
from cpl.kernel.periods import FromQuery, ToQuery, check_range
from cpl.kernel.principal import AuthedRequest
from cpl.kernel.schemas import ANSWER_MEDIA_TYPES
from cpl.problems import problem_responses
from cpl.settings import Settings
from cpl.sharing import service, viewing
from cpl.sharing.file_links import open_shared_file
from cpl.sharing.schemas import SharedEntryOut, SharedEvidencePage, ShareIn, ShareOut, SharingWorkerOut
from cpl.storage import Storage

#: What a browser may show in place (an <img>, an <audio>, its PDF viewer); anything else is downloaded.
SHOWN_INLINE = ("image/", "audio/", "application/pdf")
#: Never cached by a shared cache, never sniffed into another type, never run or framed by a
#: browser (the sandbox gives an HTML or PDF file a unique origin, with no scripts).
FILE_HEADERS = {
    "Cache-Control": "private, no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Referrer-Policy": "no-referrer",
}


class ShareController(Controller):
    path = "/v1/shares"
    tags = ["sharing"]

    @post("", operation_id="createShare", status_code=201, responses=problem_responses(400, 401, 413, 422))
    async def create(
        self, request: AuthedRequest, data: JSONBody[ShareIn], events: NamedDependency[EventBus]
    ) -> ShareOut:
        """Share chosen entries, or every entry matching a filter (now and in future), read-only,
        with a supervisor of mine or with an organisation I work for."""
        share = await service.create_share(events, request.user.account_id, data)
        detail = {
            "organisation": share.organisation_name,
            "with": "supervisor" if share.supervisor_id else "organisation",
        }
        await audit.record(
            request, "share.granted", subject=request.user.account_id, object=f"share:{share.id}", detail=detail
        )
        return share

    @get("", operation_id="listMyShares", responses=problem_responses(401))
    async def list_mine(self, request: AuthedRequest) -> list[ShareOut]:
        """My shares, in force and ended."""
        return await service.my_shares(request.user.account_id)

    @get("/{share_id:uuid}", operation_id="getMyShare", responses=problem_responses(401, 404))
    async def get_one(self, request: AuthedRequest, share_id: FromPath[UUID]) -> ShareOut:
        """One of my shares: with whom, and which entries it shows."""
        return await service.my_share(request.user.account_id, share_id)

    @delete("/{share_id:uuid}", operation_id="revokeShare", status_code=204, responses=problem_responses(401, 404))
    async def revoke(self, request: AuthedRequest, share_id: FromPath[UUID], events: NamedDependency[EventBus]) -> None:
        """Revoke at once; what was shared stops being visible."""
        await service.revoke(events, request.user.account_id, share_id)
        await audit.record(request, "share.revoked", subject=request.user.account_id, object=f"share:{share_id}")


class SharedController(Controller):
    path = "/v1/shared"
    tags = ["sharing"]

    @get("/workers", operation_id="listSharingWorkers", responses=problem_responses(401))
    async def workers(self, request: AuthedRequest) -> list[SharingWorkerOut]:
        """Workers who currently share something with me."""
        return await viewing.sharing_workers(request.user.account_id)

    @get(
        "/workers/{worker_id:uuid}/evidence",
        operation_id="listSharedEvidence",
        responses=problem_responses(400, 401, 404, 422),
    )
    async def evidence(
        self,
        request: AuthedRequest,
        worker_id: FromPath[UUID],
        occurred_from: FromQuery = None,
        occurred_to: ToQuery = None,
        cursor: Annotated[str | None, QueryParameter(max_length=200)] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200, description="Page size")] = 50,
    ) -> Response[SharedEvidencePage]:
        """A worker's entries shared with me, most recent first, a page at a time."""
        check_range(occurred_from, occurred_to)
        viewer = request.user.account_id
        page = await viewing.shared_page(viewer, worker_id, occurred_from, occurred_to, cursor, limit)
        detail = await viewing.viewer_capacity(viewer, worker_id)
        await audit.record(request, "entry_list.viewed", subject=worker_id, object="entries", detail=detail)
        return Response(page, media_type=MediaType.JSON)

    @get("/evidence/{entry_id:uuid}", operation_id="getSharedEvidence", responses=problem_responses(401, 404))
    async def entry(
        self, request: AuthedRequest, entry_id: FromPath[UUID], settings: NamedDependency[Settings]
    ) -> Response[SharedEntryOut]:
        """One shared entry with its files' details and competence links (read-only)."""
        viewer = request.user.account_id
        worker, body = await viewing.shared_entry(settings, viewer, entry_id)
        detail = await viewing.viewer_capacity(viewer, worker)
        await audit.record(request, "entry.viewed", subject=worker, object=f"entry:{entry_id}", detail=detail)
        return Response(body, media_type=MediaType.JSON)

    @get(
        "/files/{link:str}",
        operation_id="openSharedFile",
        opt={PUBLIC: True, ANSWER_MEDIA_TYPES: ("*/*",)},
        responses=problem_responses(404, 422, 503),
    )
    async def file(
        self,
        request: Request,
        link: FromPath[str],
        storage: NamedDependency[Storage],
        settings: NamedDependency[Settings],
    ) -> Stream:
        """A file of an entry shared with me, through the short-lived link the shared entry gives
        (``view_url``); no token needed: the link is signed for me. Images, PDFs and audio are
        shown in place; a link expired, altered, or of an entry no longer shared answers 404."""
        shared = await open_shared_file(settings, link)
        row = shared.attachment
        await audit.record(
            request,
            "attachment.downloaded",
            actor=shared.viewer,
            subject=shared.owner,
            object=f"attachment:{row['id']}",
        )
        found = await storage.stat(row["object_key"])
        if found is None:
            raise NotFound("The file is missing from storage; an operator has been told.")
        kind = "inline" if row["media_type"].startswith(SHOWN_INLINE) else "attachment"
        headers = {
            **FILE_HEADERS,
            "Content-Disposition": content_disposition(row["filename"], kind),
            "Content-Length": str(found.size),
        }
        return Stream(storage.read_chunks(row["object_key"]), media_type=row["media_type"], headers=headers)
