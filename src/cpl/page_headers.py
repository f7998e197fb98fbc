"""The security headers of every HTML page cpl serves, applied once for all of them (issue 15, item 4).

Every response whose type is ``text/html`` leaves with:

- a ``Content-Security-Policy``: the page's own when its route set one (the web app's), else
  :data:`PAGE_POLICY` — scripts, styles and images from cpl itself only, no inline script or style,
  forms posting only to cpl; and ``frame-ancestors 'none'`` in either case, so no other site can
  frame a page and trick a click on it (OWASP Clickjacking Defense Cheat Sheet);
- ``Referrer-Policy: no-referrer``: a page's address may hold a share token or a one-time token
  from a mail, and must not leak to the sites its links lead to;
- ``X-Content-Type-Options: nosniff``.

It runs as Litestar's ``before_send`` hook on the response's first message, so a page a route
forgets, an error page, or a template added later gets the same headers.
"""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

#: Where the pages' style sheet and the file-check script are served from (``templates/assets``).
ASSETS_PATH = "/pages"
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; media-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
NO_FRAMING = "frame-ancestors 'none'"


def _policy(existing: str | None) -> str:
    if not existing:
        return PAGE_POLICY
    if "frame-ancestors" in existing:
        return existing
    return f"{existing.rstrip('; ')}; {NO_FRAMING}"


async def secure_html_pages(message: Message, scope: Scope) -> None:
    """Add the page headers to an HTML response's start message (a no-op for anything else)."""
    if message["type"] != "http.response.start":
        return
    headers = MutableScopeHeaders.from_message(message)
    if not (headers.get("content-type") or "").startswith("text/html"):
        return
    headers["Content-Security-Policy"] = _policy(headers.get("content-security-policy"))
    headers["Referrer-Policy"] = "no-referrer"
    headers["X-Content-Type-Options"] = "nosniff"
