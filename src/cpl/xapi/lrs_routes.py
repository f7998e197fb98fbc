"""The Learning Record Store's resources: ``POST``, ``PUT`` and ``GET /xapi/statements``; ``GET /xapi/about``.

Authenticated with the organisation's LRS credentials (HTTP Basic, :mod:`.credentials`), not a
bearer token: the route is public to cpl's own authentication. Every answer, refusals too,
carries ``X-Experience-API-Version`` (1.0.3 Part Three §6.2); a request without a 1.0.x or 2.0.x
version header is refused with 400 (§6.2: "the LRS MUST reject with 400 Bad Request").
``GET /xapi/about`` is public, as the specification has it (§2.8: the About resource needs no
authorization): the versions cpl speaks.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, MediaType, Request, Response, get, post, put
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from cpl.errors import CplError, MalformedRequest
from cpl.kernel import clock
from cpl.kernel.json_depth import loads_json
from cpl.kernel.principal import PUBLIC
from cpl.kernel.schemas import BODY_MEDIA_TYPES
from cpl.problems import problem_responses
from cpl.settings import Settings
from cpl.xapi import credentials, ingest, lookup
from cpl.xapi.statements import refuse

VERSION_HEADER = "X-Experience-API-Version"
#: The versions cpl answers in (About resource, §2.8).
VERSIONS = ("1.0.3", "2.0.0")
_VERSION = re.compile(r"^\s*(1\.0(\.\d+)?|2\.0(\.\d+)?)\s*$")


def _answered_version(request: Request) -> str:
    """The version cpl answers in: 2.0.0 to a 2.0 client, 1.0.3 to anyone else."""
    return "2.0.0" if request.headers.get(VERSION_HEADER, "").strip().startswith("2.0") else "1.0.3"


@asynccontextmanager
async def _lrs_answer(request: Request) -> AsyncIterator[dict[str, Any]]:
    """Authenticate and check the version header; refusals carry the version header too."""
    try:
        credential = await credentials.authenticate(request.headers.get("authorization", ""))
        if not _VERSION.match(request.headers.get(VERSION_HEADER, "")):
            raise MalformedRequest(
                f"Send the {VERSION_HEADER} header with a version cpl speaks: 1.0.x or 2.0.x.",
                errors=[{"field": VERSION_HEADER, "message": "missing or not 1.0.x or 2.0.x"}],
            )
        yield credential
    except CplError as error:
        error.headers[VERSION_HEADER] = _answered_version(request)
        raise


def _authority(settings: Settings, credential: dict[str, Any]) -> dict[str, Any]:
    """Who vouches for the statements: the organisation's credential, on cpl's address (§2.4.9)."""
    return {"objectType": "Agent", "account": {"homePage": settings.public_base_url, "name": credential["key"]}}


async def _json_body(request: Request) -> Any:
    try:
        return loads_json(await request.body(), "The body")
    except (UnicodeDecodeError, ValueError):
        raise MalformedRequest("The body is not JSON: send one statement or an array of statements.") from None


class LrsStatementController(Controller):
    path = "/xapi/statements"
    tags = ["xapi"]
    opt = {PUBLIC: True, BODY_MEDIA_TYPES: ("application/json",)}

    @post("", operation_id="postXapiStatements", status_code=200, responses=problem_responses(400, 401, 403, 409, 413))
    async def post_statements(self, request: Request, settings: NamedDependency[Settings]) -> Response[list[UUID]]:
        """Store one statement or an array of statements (all or none); the ids, in order.

        HTTP Basic with the organisation's LRS credentials and ``X-Experience-API-Version``. An id
        stored already with the same content is a replay (its id is answered again); with other
        content, 409. A statement about anyone but a member who agreed to the organisation's
        suggestions is refused with 403, and nothing of the batch is stored."""
        async with _lrs_answer(request) as credential:
            body = await _json_body(request)
            statements = ingest.read_batch(body if isinstance(body, list) else [body])
            ids = await ingest.store(credential["organisation"], _authority(settings, credential), statements)
        return Response(
            [str(statement_id) for statement_id in ids],
            media_type=MediaType.JSON,
            headers={VERSION_HEADER: _answered_version(request)},
        )

    @put("", operation_id="putXapiStatement", status_code=204, responses=problem_responses(400, 401, 403, 409, 413))
    async def put_statement(
        self,
        request: Request,
        settings: NamedDependency[Settings],
        statement_id: Annotated[
            str | None, QueryParameter(name="statementId", description="The statement's id (a UUID)", max_length=64)
        ] = None,
    ) -> Response[None]:
        """Store one statement under the id in ``statementId``; a replay answers 204 as the first time did."""
        async with _lrs_answer(request) as credential:
            if statement_id is None:
                raise refuse(None, "statementId", "is required to PUT a statement (a UUID)")
            body = await _json_body(request)
            if not isinstance(body, dict):
                raise refuse(None, "body", "must be one statement (a JSON object)")
            if str(body.get("id", statement_id)).lower() != statement_id.lower():
                raise refuse(0, "id", "must be the statementId of the request, or left out")
            statements = ingest.read_batch([{**body, "id": statement_id}])
            await ingest.store(credential["organisation"], _authority(settings, credential), statements)
        return Response(None, status_code=204, headers={VERSION_HEADER: _answered_version(request)})

    @get("", operation_id="getXapiStatement", responses=problem_responses(400, 401, 404))
    async def get_statement(
        self,
        request: Request,
        statement_id: Annotated[
            str | None, QueryParameter(name="statementId", description="A stored statement's id", max_length=64)
        ] = None,
        voided_statement_id: Annotated[
            str | None,
            QueryParameter(name="voidedStatementId", description="A voided statement's id", max_length=64),
        ] = None,
    ) -> Response[dict[str, Any]]:
        """One statement of the organisation's as stored, by ``statementId`` (not voided) or
        ``voidedStatementId`` (voided); 404 otherwise (:mod:`cpl.xapi.lookup`)."""
        async with _lrs_answer(request) as credential:
            found = await lookup.find(credential["organisation"], statement_id, voided_statement_id)
        headers = {VERSION_HEADER: _answered_version(request), "X-Experience-API-Consistent-Through": _now()}
        return Response(found, media_type=MediaType.JSON, headers=headers)


def _now() -> str:
    """Every statement stored is read at once: consistent through now (§2.1.3)."""
    return clock.now().isoformat()


class LrsAboutController(Controller):
    path = "/xapi/about"
    tags = ["xapi"]
    opt = {PUBLIC: True}

    @get("", operation_id="getXapiAbout")
    async def about(self, request: Request) -> Response[dict[str, Any]]:
        """The xAPI versions cpl speaks (no credentials needed)."""
        return Response(
            {"version": list(VERSIONS)}, media_type=MediaType.JSON, headers={VERSION_HEADER: _answered_version(request)}
        )
