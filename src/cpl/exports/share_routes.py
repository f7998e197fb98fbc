"""Share links: the shared export's file for API clients, a readable portfolio for a person's browser.

An API client (``Accept`` without ``text/html``) gets what it always got: the file, with the
passcode in the ``X-Share-Passcode`` header (``GET``) or the form field ``passcode`` (``POST``),
or a problem document. A browser gets pages (:mod:`cpl.exports.share_pages`): the passcode form,
then — after a ``POST`` of the passcode and a redirect, so a reload never posts it again — the
portfolio, whose file links work only with the pass the ``POST`` set (:mod:`cpl.exports.view_pass`).
The passcode never travels in the address: ``?passcode=`` is refused (400) without being checked.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Body, FromPath, HeaderParameter, QueryParameter
from litestar.response import Redirect, Stream

from cpl.accounts.auth import PUBLIC
from cpl.accounts.cookies import is_secure_context
from cpl.attachments.downloads import PRESIGNED_REDIRECT
from cpl.client_address import client_address
from cpl.errors import CplError, MalformedRequest, NotFound
from cpl.exports import portfolio, shares
from cpl.exports.formats import EXPORT_MEDIA_TYPES
from cpl.exports.routes import export_download
from cpl.exports.schemas import PasscodeForm
from cpl.exports.share_pages import file_headers, passcode_page, portfolio_page, problem_page, wants_a_page
from cpl.exports.shares import PASSCODE_PLACES
from cpl.exports.view_pass import issue_pass, pass_name, require_pass
from cpl.kernel.schemas import ANSWER_MEDIA_TYPES
from cpl.problems import problem_responses, status_of
from cpl.settings import Settings
from cpl.storage import Storage

LINK_PROBLEMS = problem_responses(400, 403, 404, 410, 422, 429, 503)
TO_THE_PORTFOLIO = ResponseSpec(
    generate_examples=False,
    data_container=None,
    description="A browser (Accept: text/html): to the portfolio page, with the link's pass cookie",
)


def _refuse_passcode_in_address(request: Request) -> None:
    if "passcode" in request.query_params:
        raise MalformedRequest(f"Never put a passcode in the address; {PASSCODE_PLACES}.")


async def _open_for_browser(request: Request, token: str, passcode: str | None, settings: Settings) -> Response:
    """Check the link (and passcode) as an API use would; a browser then gets its pass and the portfolio."""
    address, agent = client_address(request, settings), request.headers.get("user-agent", "")
    try:
        share, _ = await shares.open_share(settings, token[:100], passcode, address, agent)
    except CplError as refused:
        return passcode_page(settings, refused, bool(passcode)) or problem_page(settings, refused)
    value, max_age = await issue_pass(settings, share)
    cookie = Cookie(
        key=pass_name(is_secure_context(request)),
        value=value,
        path=request.url.path,
        max_age=max_age,
        secure=is_secure_context(request),
        httponly=True,
        samesite="strict",
    )
    return Redirect(request.url.path, status_code=303, cookies=[cookie], headers={"Cache-Control": "no-store"})


async def _viewed_share(request: Request, token: str, settings: Settings) -> tuple[dict, dict]:
    """The share and export whose pass this browser holds; 403 without one, 410 once the link stopped."""
    share, export = await shares.find_share(token[:100])
    shares.check_usable(share, export)
    await require_pass(settings, request.cookies.get(pass_name(is_secure_context(request)), ""), share["id"])
    return share, export


class ExportLinkController(Controller):
    """A shared export, for whoever holds the link (and its passcode, when it has one)."""

    path = "/shared"
    tags = ["verification"]

    @get(
        "/{token:str}",
        operation_id="openShareLink",
        opt={PUBLIC: True, ANSWER_MEDIA_TYPES: EXPORT_MEDIA_TYPES},
        responses={**PRESIGNED_REDIRECT, **LINK_PROBLEMS},
    )
    async def open_link(
        self,
        request: Request,
        token: FromPath[str],
        storage: NamedDependency[Storage],
        settings: NamedDependency[Settings],
        passcode: Annotated[str | None, HeaderParameter(name="X-Share-Passcode", max_length=128)] = None,
    ) -> Response:
        """The shared export's file, or in a browser the readable portfolio.

        A browser without the link's pass gets the passcode form (403) first. Every use of the link,
        granted or refused, is shown to the worker."""
        _refuse_passcode_in_address(request)
        if not wants_a_page(request.headers.get("accept", "")):
            return await _open_file(request, token, passcode, storage, settings)
        try:
            share, export = await _viewed_share(request, token, settings)
        except CplError as refused:
            if status_of(refused) != 403:
                return problem_page(settings, refused)
            return await _open_for_browser(request, token, None, settings)
        record = await portfolio.load_record(storage, export["id"])
        states = await portfolio.verification_states(record) if record else {}
        return portfolio_page(settings, request.url.path, share, export, record, states)

    @post(
        "/{token:str}",
        operation_id="openShareLinkWithPasscode",
        opt={PUBLIC: True},
        status_code=200,
        responses={**PRESIGNED_REDIRECT, 303: TO_THE_PORTFOLIO, **LINK_PROBLEMS},
    )
    async def open_link_with_form(
        self,
        request: Request,
        token: FromPath[str],
        data: Annotated[PasscodeForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
        storage: NamedDependency[Storage],
        settings: NamedDependency[Settings],
    ) -> Response:
        """The shared export's file, for a passcode sent as a form field.

        A browser (``Accept: text/html``) is sent (303) to the portfolio with the link's pass instead.
        Every use is shown to the worker."""
        _refuse_passcode_in_address(request)
        if not wants_a_page(request.headers.get("accept", "")):
            return await _open_file(request, token, data.passcode, storage, settings)
        return await _open_for_browser(request, token, data.passcode, settings)

    @get("/{token:str}/export", operation_id="downloadSharedExport", opt={PUBLIC: True}, include_in_schema=False)
    async def download_export(
        self,
        request: Request,
        token: FromPath[str],
        storage: NamedDependency[Storage],
        settings: NamedDependency[Settings],
    ) -> Response:
        """The whole exported file, for the browser that opened the link (its pass, not the passcode)."""
        _, export = await _viewed_share(request, token, settings)
        return await export_download(storage, settings, export)

    @get(
        "/{token:str}/files/{attachment_id:str}",
        operation_id="openSharedFile",
        opt={PUBLIC: True},
        include_in_schema=False,
    )
    async def shared_file(
        self,
        request: Request,
        token: FromPath[str],
        attachment_id: FromPath[UUID],
        storage: NamedDependency[Storage],
        settings: NamedDependency[Settings],
        download: Annotated[bool, QueryParameter(description="Save rather than show")] = False,
    ) -> Response:
        """One file the export carries, shown or saved, for the browser that opened the link: only while
        the stored bytes are the exported ones."""
        _, export = await _viewed_share(request, token, settings)
        record = await portfolio.load_record(storage, export["id"])
        exported = portfolio.exported_file(record, str(attachment_id)) if record else None
        key = await portfolio.stored_key(exported) if exported else None
        if key is None:
            raise NotFound("This export carries no such file, or the file is no longer held.")
        media_type, headers = file_headers(exported, download)
        return Stream(storage.read_chunks(key), media_type=media_type, headers=headers)


async def _open_file(
    request: Request, token: str, passcode: str | None, storage: Storage, settings: Settings
) -> Response:
    address, agent = client_address(request, settings), request.headers.get("user-agent", "")
    _, export = await shares.open_share(settings, token[:100], passcode, address, agent)
    return await export_download(storage, settings, export)
