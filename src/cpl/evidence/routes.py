"""HTTP routes for a worker's own evidence log, and the sync feed."""

from __future__ import annotations

import re
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, MediaType, Response, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, HeaderParameter, JSONBody, QueryParameter

from cpl.errors import MalformedRequest
from cpl.evidence import idempotency, paging, service
from cpl.evidence.mapping import answer_json, entry_document, entry_json
from cpl.evidence.repository import EntryFilters
from cpl.evidence.schemas import (
    ActivityType,
    BatchIn,
    BatchOut,
    EntryIn,
    EvidenceContent,
    EvidenceOut,
    EvidencePage,
    EvidencePatch,
    SyncPage,
)
from cpl.kernel.events import EventBus
from cpl.kernel.fields import SINGLE_LINE_PATTERN
from cpl.kernel.periods import FromQuery, ToQuery, check_range
from cpl.kernel.principal import AuthedRequest
from cpl.problems import problem_responses
from cpl.scheduling import Node
from cpl.settings import Settings

IfMatch = Annotated[
    str | None, HeaderParameter(name="If-Match", description="The entry's ETag, as last seen", max_length=100)
]
IdempotencyKey = Annotated[
    str | None, HeaderParameter(name="Idempotency-Key", description="Unique per logical request", max_length=255)
]
Limit = Annotated[int, QueryParameter(ge=1, le=200, description="Page size")]

_ETAG = re.compile(r'^\s*"?(\d{1,9})"?\s*$', re.ASCII)


def parse_if_match(value: str | None) -> int | None:
    """``If-Match: "3"`` → 3. Weak validators cannot match (RFC 9110 §13.1.1)."""
    if value is None:
        return None
    match = _ETAG.match(value)
    if match is None:
        raise MalformedRequest('If-Match must be the entry\'s ETag, such as "3".')
    return int(match.group(1))


def _entry_response(row: dict[str, Any], status: int = 200) -> Response[EvidenceOut]:
    """The entry and its ETag."""
    return Response(
        entry_json(row), status_code=status, media_type=MediaType.JSON, headers={"ETag": f'"{row["version"]}"'}
    )


def _json_response(document: Any) -> Response:
    return Response(answer_json(document), media_type=MediaType.JSON)


class EvidenceController(Controller):
    path = "/v1/evidence"
    tags = ["evidence"]

    @post(
        "",
        operation_id="createEvidence",
        status_code=201,
        responses=problem_responses(400, 401, 409, 413, 422),
    )
    async def create(
        self,
        request: AuthedRequest,
        data: JSONBody[EvidenceContent],
        settings: NamedDependency[Settings],
        node: NamedDependency[Node],
        events: NamedDependency[EventBus],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[EvidenceOut]:
        """Log an entry with an id chosen by the server. Send an ``Idempotency-Key`` to retry safely."""
        owner = request.user.account_id
        if idempotency_key is None:
            return _entry_response(await service.create_entry(owner, data, events), 201)
        stored, replayed = await idempotency.create_once(settings, node, owner, idempotency_key, data, events)
        headers = {"ETag": f'"{stored.version}"', "Idempotent-Replayed": str(replayed).lower()}
        return Response(stored.body, status_code=stored.status, media_type=MediaType.JSON, headers=headers)

    @get("", operation_id="listEvidence", responses=problem_responses(400, 401, 422))
    async def list_entries(
        self,
        request: AuthedRequest,
        occurred_from: FromQuery = None,
        occurred_to: ToQuery = None,
        kind: Annotated[str | None, QueryParameter(max_length=48, pattern=SINGLE_LINE_PATTERN)] = None,
        activity_type: Annotated[ActivityType | None, QueryParameter()] = None,
        tag: Annotated[str | None, QueryParameter(max_length=50, pattern=SINGLE_LINE_PATTERN)] = None,
        q: Annotated[
            str | None, QueryParameter(max_length=200, pattern=SINGLE_LINE_PATTERN, description="Free text")
        ] = None,
        cursor: Annotated[str | None, QueryParameter(max_length=200)] = None,
        limit: Limit = 50,
    ) -> Response[EvidencePage]:
        """My entries, most recent first, filtered, a page at a time."""
        check_range(occurred_from, occurred_to)
        filters = EntryFilters(
            occurred_from=occurred_from,
            occurred_to=occurred_to,
            kind=kind,
            activity_type=activity_type.value if activity_type else None,
            tag=tag,
            text=q,
        )
        rows, next_cursor = await paging.list_entries(request.user.account_id, filters, cursor, limit)
        return _json_response({"items": [entry_document(row) for row in rows], "next_cursor": next_cursor})

    @post(
        "/batch",
        operation_id="saveEvidenceBatch",
        status_code=200,
        responses=problem_responses(400, 401, 404, 410, 412, 413, 422, 428),
    )
    async def batch(
        self, request: AuthedRequest, data: JSONBody[BatchIn], events: NamedDependency[EventBus]
    ) -> Response[BatchOut]:
        """Save up to 100 entries from an offline queue, all or nothing; safe to replay."""
        results = await service.apply_batch(events, request.user.account_id, data.entries)
        return _json_response(
            {
                "results": [
                    {"id": row["id"], "outcome": outcome, "entry": entry_document(row)} for outcome, row in results
                ]
            }
        )

    @get("/{entry_id:str}", operation_id="getEvidence", responses=problem_responses(401, 404, 410, 422))
    async def get_entry(self, request: AuthedRequest, entry_id: FromPath[UUID]) -> Response[EvidenceOut]:
        """One of my entries, with its ETag; a deleted one answers 410."""
        return _entry_response(await service.owned_entry(request.user.account_id, entry_id))

    @put(
        "/{entry_id:str}",
        operation_id="putEvidence",
        status_code=200,
        responses={
            201: ResponseSpec(
                generate_examples=False, data_container=EvidenceOut, description="Created with the client's id"
            ),
            **problem_responses(400, 401, 404, 410, 412, 413, 422, 428),
        },
    )
    async def put_entry(
        self,
        request: AuthedRequest,
        entry_id: FromPath[UUID],
        data: JSONBody[EntryIn],
        events: NamedDependency[EventBus],
        if_match: IfMatch = None,
    ) -> Response[EvidenceOut]:
        """Create the entry with this id, or replace it (with ``If-Match``). Replays change nothing."""
        owner = request.user.account_id
        outcome, row = await service.put_entry(
            owner, entry_id, data, parse_if_match(if_match), events, accepts_suggestion=data.accepts_suggestion
        )
        return _entry_response(row, 201 if outcome == "created" else 200)

    @patch(
        "/{entry_id:str}",
        operation_id="patchEvidence",
        responses=problem_responses(400, 401, 404, 410, 412, 413, 422, 428),
    )
    async def patch_entry(
        self,
        request: AuthedRequest,
        entry_id: FromPath[UUID],
        data: JSONBody[EvidencePatch],
        events: NamedDependency[EventBus],
        if_match: IfMatch = None,
    ) -> Response[EvidenceOut]:
        """Change some fields of an entry; ``If-Match`` is required."""
        row = await service.patch_entry(events, request.user.account_id, entry_id, data, parse_if_match(if_match))
        return _entry_response(row)

    @delete(
        "/{entry_id:str}",
        operation_id="deleteEvidence",
        status_code=204,
        responses=problem_responses(400, 401, 404, 412, 422),
    )
    async def delete_entry(
        self,
        request: AuthedRequest,
        entry_id: FromPath[UUID],
        events: NamedDependency[EventBus],
        if_match: IfMatch = None,
    ) -> None:
        """Delete an entry. Its content is erased; a tombstone tells my other devices."""
        await service.delete_entry(events, request.user.account_id, entry_id, parse_if_match(if_match))


class SyncController(Controller):
    path = "/v1/sync"
    tags = ["evidence"]

    @get("", operation_id="syncEvidence", responses=problem_responses(400, 401, 410, 422))
    async def sync(
        self,
        request: AuthedRequest,
        since: Annotated[str | None, QueryParameter(max_length=20, description="Cursor from the last sync")] = None,
        limit: Limit = 100,
    ) -> Response[SyncPage]:
        """Every change to my entries since the cursor, oldest first. Repeat while ``has_more``."""
        rows, cursor, has_more = await paging.changes_since(
            request.user.account_id, paging.parse_sync_cursor(since), limit
        )
        changes = [
            {
                "id": row["id"],
                "version": row["version"],
                "deleted": row["deleted_at"] is not None,
                "entry": None if row["deleted_at"] is not None else entry_document(row),
            }
            for row in rows
        ]
        return _json_response({"changes": changes, "next_cursor": str(cursor), "has_more": has_more})
