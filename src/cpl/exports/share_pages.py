"""The pages a browser gets for a share link: the passcode form, the portfolio, and why a link fails.

Templates in ``templates/pages/share_*.html`` (CONVENTIONS rule 17); every page also gets the
page headers of :mod:`cpl.page_headers`. They are never cached (``private, no-store``): they
show a person's record to whoever holds the link.
"""

from __future__ import annotations

from typing import Any

from litestar.response import Template

from cpl.attachments.downloads import DOWNLOAD_HEADERS
from cpl.attachments.filenames import content_disposition
from cpl.errors import CplError, PasscodeRefused, TooManyAttempts
from cpl.exports.portfolio import portfolio_view, shown_inline
from cpl.problems import status_of
from cpl.settings import Settings

NOT_CACHED = {"Cache-Control": "private, no-store"}


def wants_a_page(accept: str) -> bool:
    """Browsers name ``text/html``; API clients (``*/*`` or JSON) keep their files and problem documents."""
    return "text/html" in accept


def _page(
    settings: Settings, name: str, status: int, headers: dict[str, str] | None = None, **context: Any
) -> Template:
    return Template(
        template_name=f"pages/{name}.html",
        context={"service": settings.service_name, "problem": "", **context},
        status_code=status,
        headers={**NOT_CACHED, **(headers or {})},
    )


def passcode_page(settings: Settings, refused: CplError, passcode_given: bool) -> Template | None:
    """The passcode form, for a link refused for want of the right passcode (or a wait); else None.

    What was wrong is said only when a passcode was given: opening the link is not a mistake."""
    if not isinstance(refused, (PasscodeRefused, TooManyAttempts)):
        return None
    problem = refused.detail if passcode_given or isinstance(refused, TooManyAttempts) else ""
    return _page(settings, "share_passcode", status_of(refused), refused.headers, problem=problem)


def problem_page(settings: Settings, error: CplError) -> Template:
    """Why the link does not work (no such link 404, withdrawn or expired 410), with that status."""
    return _page(settings, "share_problem", status_of(error), error.headers, problem=error.detail)


def portfolio_page(
    settings: Settings,
    link_path: str,
    share: dict[str, Any],
    export: dict[str, Any],
    record: dict[str, Any] | None,
    states: dict[str, str],
) -> Template:
    """The shared export as a portfolio; for an export made before records were kept, its file only."""
    view = portfolio_view(record, states) if record else None
    return _page(
        settings,
        "share_portfolio",
        200,
        link=link_path,
        view=view,
        label=share["label"],
        expires_on=share["expires_at"].date().isoformat(),
        export=export,
    )


def file_headers(exported: dict[str, Any], download: bool) -> tuple[str, dict[str, str]]:
    """A shared file's media type and headers: shown in the browser when it is safe to, else saved.

    PDFs are left out of the ``sandbox`` policy, which stops a browser's own PDF viewer."""
    media_type = exported["media_type"].partition(";")[0]
    inline = shown_inline(media_type) and not download
    disposition = content_disposition(exported["filename"])
    headers = {**DOWNLOAD_HEADERS, "Content-Length": str(exported["size"])}
    if inline:
        disposition = disposition.replace("attachment", "inline", 1)
    if media_type == "application/pdf":
        headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'"
    headers["Content-Disposition"] = disposition
    return media_type, headers
