"""HTTP routes: the published checkpoints, and who has seen my record."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.params import QueryParameter

from cpl.audit import service
from cpl.audit.schemas import AccessPage, CheckpointPage
from cpl.kernel.principal import PUBLIC, AuthedRequest
from cpl.problems import problem_responses

Cursor = Annotated[str | None, QueryParameter(max_length=200)]
Limit = Annotated[int, QueryParameter(ge=1, le=200, description="Page size")]


class CheckpointController(Controller):
    path = "/v1/audit/checkpoints"
    tags = ["audit"]

    @get("", operation_id="listAuditCheckpoints", opt={PUBLIC: True}, responses=problem_responses(400, 422))
    async def checkpoints(self, cursor: Cursor = None, limit: Limit = 50) -> CheckpointPage:
        """The audit log's signed checkpoints, newest first.

        Each is the chain head at a sequence number, signed with the issuer key (compact JWS,
        verifiable against `/.well-known/jwks.json`). Keep the latest one outside cpl and check
        the log against it with `cpl audit verify --checkpoint FILE`.
        """
        return await service.checkpoint_page(cursor, limit)


class AccessLogController(Controller):
    path = "/v1/me/access-log"
    tags = ["audit"]

    @get("", operation_id="getMyAccessLog", responses=problem_responses(400, 401, 422))
    async def access_log(self, request: AuthedRequest, cursor: Cursor = None, limit: Limit = 50) -> AccessPage:
        """Who has seen my record: every look at my entries by someone else, newest first.

        Each names who (their name, the organisation and the capacity they saw it in), what and when.
        """
        return await service.access_page(request.user.account_id, cursor, limit)
