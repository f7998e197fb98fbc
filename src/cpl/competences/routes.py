"""HTTP routes: frameworks (browse, import), search, an entry's links, my coverage, CASE."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import anyio
from litestar import Controller, Request, Response, get, post, put
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody, PathParameter, QueryParameter

from cpl.accounts.auth import PUBLIC
from cpl.competences import links, queries
from cpl.competences.case_export import case_association, case_document, case_item, case_package
from cpl.competences.coverage import coverage
from cpl.competences.importer import import_package
from cpl.competences.queries import framework_out
from cpl.competences.schemas import (
    CompetenceLinksIn,
    CompetenceLinksOut,
    CoverageOut,
    FrameworkOut,
    FrameworkTree,
    ImportOut,
    SearchPage,
)
from cpl.competences.upload import FileFormat, csv_framework_from, read_framework_file
from cpl.errors import NotAllowed, TooLarge, UnsupportedType
from cpl.kernel.events import EventBus
from cpl.kernel.fields import SINGLE_LINE_PATTERN
from cpl.kernel.periods import FromQuery, ToQuery
from cpl.kernel.principal import AuthedRequest
from cpl.problems import problem_responses
from cpl.settings import Settings

CsvParameter = Annotated[str | None, QueryParameter(max_length=2000, description="CSV files only")]
SearchWords = Annotated[
    str,
    QueryParameter(
        min_length=1, max_length=200, pattern=SINGLE_LINE_PATTERN, description="Words in a code, title or statement"
    ),
]
CaseReference = Annotated[
    str, PathParameter(max_length=255, pattern=SINGLE_LINE_PATTERN, description="A cpl id or CASE identifier")
]
MEDIA_TYPES: dict[str, FileFormat] = {"application/json": "case", "text/csv": "csv"}


async def _read_body(request: Request, limit: int) -> bytes:
    """The whole request body, refused as soon as it passes ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise TooLarge(f"The file is larger than the {limit}-byte limit for framework imports.")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"The file is larger than the {limit}-byte limit for framework imports.")
        chunks.append(chunk)
    return b"".join(chunks)


class FrameworkController(Controller):
    path = "/v1/frameworks"
    tags = ["competences"]

    @get("", operation_id="listFrameworks", responses=problem_responses(401))
    async def list_frameworks(self) -> list[FrameworkOut]:
        """Every framework edition cpl holds, built-in and imported."""
        return await queries.list_frameworks()

    @get("/{framework_id:uuid}", operation_id="getFramework", responses=problem_responses(401, 404))
    async def get_framework(self, framework_id: FromPath[UUID]) -> FrameworkTree:
        """One edition with its items as a tree, and each item's associations."""
        return await queries.framework_tree(framework_id)

    @post(
        "/import",
        operation_id="importFramework",
        status_code=201,
        request_max_body_size=None,  # the limit is the framework_import_max_bytes setting, checked while reading
        responses={
            200: ResponseSpec(
                generate_examples=False, data_container=ImportOut, description="Already imported: nothing changed"
            ),
            **problem_responses(401, 403, 409, 413, 415, 422),
        },
    )
    async def import_framework(
        self,
        request: AuthedRequest,
        settings: NamedDependency[Settings],
        title: CsvParameter = None,
        edition: CsvParameter = None,
        publisher: CsvParameter = None,
        language: CsvParameter = None,
        source_uri: CsvParameter = None,
        licence: CsvParameter = None,
        identifier: CsvParameter = None,
    ) -> Response[ImportOut]:
        """Import a CASE ``CFPackage`` (``application/json``) or a CSV file (``text/csv``, with
        ``code,title,statement,parent_code`` and the framework's ``title``/``edition`` as query
        parameters). Operators only. Importing the same file again changes nothing (200)."""
        if not request.user.is_admin:
            raise NotAllowed("Only operators import frameworks.")
        file_format = MEDIA_TYPES.get(request.content_type[0])
        if file_format is None:
            raise UnsupportedType("Send a CASE package as application/json or a CSV file as text/csv.")
        meta = csv_framework_from(
            file_format,
            {
                "title": title,
                "edition": edition,
                "publisher": publisher,
                "language": language,
                "source_uri": source_uri,
                "licence": licence,
                "identifier": identifier,
            },
        )
        body = await _read_body(request, settings.framework_import_max_bytes)
        checked = await anyio.to_thread.run_sync(read_framework_file, body, file_format, meta)
        result = await import_package(checked)
        out = ImportOut(
            outcome=result.outcome,
            framework=framework_out(result.framework),
            items=result.items,
            associations=result.associations,
            unresolved_associations=result.unresolved_associations,
        )
        return Response(out, status_code=201 if result.outcome == "created" else 200)


class CompetenceSearchController(Controller):
    path = "/v1/competences"
    tags = ["competences"]

    @get("", operation_id="searchCompetences", responses=problem_responses(400, 401, 422))
    async def search(
        self,
        q: SearchWords,
        framework: Annotated[UUID | None, QueryParameter(description="Only this framework edition")] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
    ) -> SearchPage:
        """Items of every framework matching all the words, exact codes first."""
        return SearchPage(items=await queries.search_items(q, framework, limit))


class EntryCompetenceController(Controller):
    path = "/v1/evidence/{entry_id:uuid}/competences"
    tags = ["competences"]

    @get("", operation_id="getEvidenceCompetences", responses=problem_responses(401, 404, 410))
    async def get_links(self, request: AuthedRequest, entry_id: FromPath[UUID]) -> CompetenceLinksOut:
        """The competence items my entry is linked to, with my notes."""
        return await links.entry_links(request.user.account_id, entry_id)

    @put("", operation_id="putEvidenceCompetences", responses=problem_responses(400, 401, 404, 410, 413, 422))
    async def put_links(
        self,
        request: AuthedRequest,
        entry_id: FromPath[UUID],
        data: JSONBody[CompetenceLinksIn],
        events: NamedDependency[EventBus],
    ) -> CompetenceLinksOut:
        """Link my entry to items of any frameworks, each with a note; replaces its links."""
        return await links.replace_links(request.user.account_id, entry_id, data.links, events)


class CoverageController(Controller):
    path = "/v1/me/coverage"
    tags = ["competences"]

    @get("", operation_id="getMyCoverage", responses=problem_responses(400, 401, 404, 422))
    async def my_coverage(
        self,
        request: AuthedRequest,
        framework: Annotated[UUID, QueryParameter(description="The framework edition")],
        occurred_from: FromQuery = None,
        occurred_to: ToQuery = None,
    ) -> CoverageOut:
        """My evidence against each item of a framework, rolled up its tree, with what is uncovered."""
        return await coverage(request.user.account_id, framework, occurred_from, occurred_to)


#: Frameworks are public documents: any CASE consumer's page may read them from another origin
#: (a simple GET needs no preflight; no credentials are involved).
CASE_HEADERS = {"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=300"}


class CaseController(Controller):
    """The CASE 1.0 REST API (read side), public: every URI cpl writes into a package answers here."""

    path = "/ims/case/v1p0"
    tags = ["competences"]
    opt = {PUBLIC: True}

    @get("/CFPackages/{reference:str}", operation_id="getCasePackage", responses=problem_responses(404, 422))
    async def package(self, reference: CaseReference, settings: NamedDependency[Settings]) -> Response[dict[str, Any]]:
        """A framework edition as a CASE 1.0 CFPackage (by cpl id, or CASE identifier for the latest edition).
        Its URIs are on ``public_base_url``, never on the request's ``Host``."""
        return Response(await case_package(reference, settings.public_base_url), headers=CASE_HEADERS)

    @get("/CFDocuments/{reference:str}", operation_id="getCaseDocument", responses=problem_responses(404, 422))
    async def document(self, reference: CaseReference, settings: NamedDependency[Settings]) -> Response[dict[str, Any]]:
        """A framework edition's CASE 1.0 CFDocument (by cpl id, or CASE identifier for the latest edition)."""
        return Response(await case_document(reference, settings.public_base_url), headers=CASE_HEADERS)

    @get("/CFItems/{identifier:str}", operation_id="getCaseItem", responses=problem_responses(404, 422))
    async def item(self, identifier: CaseReference, settings: NamedDependency[Settings]) -> Response[dict[str, Any]]:
        """A CASE 1.0 CFItem by its identifier, as the newest edition holding it serves it in its package."""
        return Response(await case_item(identifier, settings.public_base_url), headers=CASE_HEADERS)

    @get("/CFAssociations/{identifier:str}", operation_id="getCaseAssociation", responses=problem_responses(404, 422))
    async def association(
        self, identifier: CaseReference, settings: NamedDependency[Settings]
    ) -> Response[dict[str, Any]]:
        """A publisher's CASE 1.0 CFAssociation by its identifier, as its package serves it."""
        return Response(await case_association(identifier, settings.public_base_url), headers=CASE_HEADERS)
