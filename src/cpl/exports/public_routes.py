"""Public routes (no account needed): verification of an export, share links, the record's JSON Schema."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Body, FromPath, HeaderParameter

from cpl import audit
from cpl.accounts.auth import PUBLIC
from cpl.client_address import client_address
from cpl.errors import Gone, MalformedRequest, NotFound, PasscodeRefused, TooManyAttempts
from cpl.exports import service, shares
from cpl.exports.formats import EXPORT_MEDIA_TYPES
from cpl.exports.page import not_found_page, verification_page, withdrawn_page
from cpl.exports.passcode_page import passcode_page, wants_a_page
from cpl.exports.portable_record import SCHEMA_NAME, SCHEMA_PATH
from cpl.exports.routes import DOWNLOAD_RESPONSES, export_download
from cpl.exports.schemas import PasscodeForm, VerificationOut
from cpl.exports.shares import PASSCODE_PLACES
from cpl.kernel.schemas import ANSWER_MEDIA_TYPES
from cpl.problems import problem_responses
from cpl.settings import Settings
from cpl.storage import Storage

HTML_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
}


@lru_cache(maxsize=4)
def record_schema(base_url: str) -> dict[str, Any]:
    """The portable record's JSON Schema (shipped with the package), its ``$id`` this service's URL for it."""
    schema = json.loads(files("cpl.exports").joinpath(SCHEMA_NAME).read_text(encoding="utf-8"))
    return {**schema, "$id": f"{base_url.rstrip('/')}{SCHEMA_PATH}"}


class SchemaController(Controller):
    path = "/v1/schemas"
    tags = ["exports"]

    @get(
        f"/{SCHEMA_NAME}",
        operation_id="getPortableRecordSchema",
        opt={PUBLIC: True},
        media_type="application/schema+json",
    )
    async def portable_record(self, settings: NamedDependency[Settings]) -> dict[str, Any]:
        """The JSON Schema (draft 2020-12) of cpl's portable record, format version 1."""
        return record_schema(settings.public_base_url)


class VerifyController(Controller):
    path = "/verify"
    tags = ["verification"]

    @get(
        "/{export_id:str}",
        operation_id="verifyExport",
        opt={PUBLIC: True, ANSWER_MEDIA_TYPES: ("application/json", "text/html")},
        responses={
            200: ResponseSpec(
                generate_examples=False,
                data_container=VerificationOut,
                description="JSON with Accept: application/json; HTML otherwise",
            ),
            **problem_responses(400, 404, 410, 422),
        },
    )
    async def verify(
        self, request: Request, export_id: FromPath[UUID], settings: NamedDependency[Settings]
    ) -> Response:
        """Who issued this export, whose record, which period, the file's digest, when it was signed and
        whether it still stands (valid, revoked or superseded): what the QR code on every page links to.
        An export of a worker whose account was erased answers 410, withdrawn."""
        wants_json = (
            request.accept.best_match(["text/html", "application/json"], default="text/html") == "application/json"
        )
        try:
            found = await service.verification(settings, export_id)
        except Gone:
            if wants_json:
                raise
            return Response(withdrawn_page(export_id), status_code=410, media_type="text/html", headers=HTML_HEADERS)
        except NotFound:
            if wants_json:
                raise
            return Response(not_found_page(export_id), status_code=404, media_type="text/html", headers=HTML_HEADERS)
        if wants_json:
            return Response(found, headers={"Vary": "Accept"})
        return Response(verification_page(found), media_type="text/html", headers={**HTML_HEADERS, "Vary": "Accept"})


class ExportLinkController(Controller):
    """A shared export's file, for whoever holds the link (and its passcode, when it has one).

    The passcode goes in the ``X-Share-Passcode`` header (``GET``) or the form field ``passcode``
    (``POST``), never the address: addresses are written to access logs, proxies' logs and
    browser history, so ``?passcode=`` is refused (400) without being checked. A browser asked
    for the passcode gets a form that posts it (:mod:`cpl.exports.passcode_page`).
    """

    path = "/shared"
    tags = ["verification"]

    @get(
        "/{token:str}",
        operation_id="openShareLink",
        opt={PUBLIC: True, ANSWER_MEDIA_TYPES: EXPORT_MEDIA_TYPES},
        responses={**DOWNLOAD_RESPONSES, **problem_responses(400, 403, 404, 410, 422, 429, 503)},
    )
    async def open_link(
        self,
        request: Request,
        token: FromPath[str],
        storage: NamedDependency[Storage],
        settings: NamedDependency[Settings],
        passcode: Annotated[str | None, HeaderParameter(name="X-Share-Passcode", max_length=128)] = None,
    ) -> Response:
        """The shared export's file. Every use, granted or refused, is shown to the worker."""
        return await _open(request, token, passcode, storage, settings)

    @post(
        "/{token:str}",
        operation_id="openShareLinkWithPasscode",
        opt={PUBLIC: True},
        status_code=200,
        responses={**DOWNLOAD_RESPONSES, **problem_responses(400, 403, 404, 410, 422, 429, 503)},
    )
    async def open_link_with_form(
        self,
        request: Request,
        token: FromPath[str],
        data: Annotated[PasscodeForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
        storage: NamedDependency[Storage],
        settings: NamedDependency[Settings],
    ) -> Response:
        """The same file, for a passcode sent as a form field (a browser's form). Every use is shown to the worker."""
        return await _open(request, token, data.passcode, storage, settings)


async def _open(request: Request, token: str, passcode: str | None, storage: Storage, settings: Settings) -> Response:
    if "passcode" in request.query_params:
        raise MalformedRequest(f"Never put a passcode in the address; {PASSCODE_PLACES}.")
    address = client_address(request, settings)
    user_agent = request.headers.get("user-agent", "")
    try:
        row = await shares.open_share(settings, token[:100], passcode, address, user_agent)
    except (PasscodeRefused, TooManyAttempts) as refused:
        if not wants_a_page(request.headers.get("accept", "")):
            raise
        status = 429 if isinstance(refused, TooManyAttempts) else 403
        headers = {**HTML_HEADERS, **refused.headers}
        return Response(
            passcode_page(refused.detail if passcode else ""),
            status_code=status,
            media_type="text/html",
            headers=headers,
        )
    await audit.record(
        request,
        "share_link.opened",
        actor=None,
        subject=row["owner"],
        object=f"export:{row['id']}",
        detail={"role": "share link holder"},
    )
    return await export_download(storage, settings, row)
