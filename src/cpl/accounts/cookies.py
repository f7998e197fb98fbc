"""The web app's session cookie (issue 13, item 6): the token kept where page scripts cannot read it.

Rules:

- Only a sign-in (``POST /v1/auth/login`` or ``/register``) sent with ``X-CPL-App: 1`` sets the
  cookie, and its answer then carries no token. The cookie holds the same opaque session token a
  bearer client gets; it is HttpOnly, SameSite=Strict, Path=/, and lives as long as the session.
- The cookie authenticates a request **only** when the request also carries ``X-CPL-App: 1``. That
  header is the CSRF guard: a page on another site cannot add a custom header to a request to cpl
  without a CORS preflight, and cpl answers no cross-origin request. An ``Authorization: Bearer``
  header, when present, wins over the cookie.
- In a secure context — the request came over HTTPS (``X-Forwarded-Proto`` from a trusted proxy
  counts, as uvicorn applies it), or the host is ``localhost``/a loopback address, which browsers
  treat as secure over plain HTTP — the cookie is ``__Host-cpl_session`` with ``Secure``: the
  prefix makes browsers refuse one set by a sibling subdomain or for a wider path, so nobody can
  plant their own session in a worker's browser (RFC 6265bis §4.1.3.2).
- Over plain HTTP to any other host, browsers drop ``Secure`` and ``__Host-`` cookies, so the app
  could not sign in at all; there the cookie is ``cpl_session`` without ``Secure``, and only that
  name is accepted there. It can be read by anyone on the network path, as the bearer header
  could: production must be served over HTTPS, and :func:`warn_if_public_address_is_plain_http`
  says so at start-up.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie

from cpl.public_address import is_local_host
from cpl.settings import Settings

logger = logging.getLogger("cpl")

APP_HEADER = "X-CPL-App"
SECURE_COOKIE = "__Host-cpl_session"
PLAIN_HTTP_COOKIE = "cpl_session"


def is_app_request(connection: ASGIConnection) -> bool:
    """True when the request carries ``X-CPL-App: 1`` (sent only by cpl's own web app)."""
    return connection.headers.get(APP_HEADER, "").strip() == "1"


def is_secure_context(connection: ASGIConnection) -> bool:
    return connection.scope.get("scheme") == "https" or is_local_host(connection.headers.get("host", ""))


def session_cookie_name(connection: ASGIConnection) -> str:
    """The one cookie name set and accepted for this request (see the module's rules)."""
    return SECURE_COOKIE if is_secure_context(connection) else PLAIN_HTTP_COOKIE


def app_session_token(connection: ASGIConnection) -> str:
    """The session token from the app's cookie; empty unless the request is the app's (``X-CPL-App: 1``)."""
    if not is_app_request(connection):
        return ""
    return connection.cookies.get(session_cookie_name(connection), "")


def _cookie(connection: ASGIConnection, value: str, max_age: int) -> Cookie:
    return Cookie(
        key=session_cookie_name(connection),
        value=value,
        path="/",
        max_age=max_age,
        secure=is_secure_context(connection),
        httponly=True,
        samesite="strict",
    )


def session_cookie(connection: ASGIConnection, token: str, expires_at: datetime) -> Cookie:
    """The cookie that signs the app in for as long as the session lasts."""
    return _cookie(connection, token, max(0, int((expires_at - datetime.now(UTC)).total_seconds())))


def cleared_session_cookie(connection: ASGIConnection) -> Cookie:
    """The same cookie, expired: the browser forgets it."""
    return _cookie(connection, "", 0)


def warn_if_public_address_is_plain_http(settings: Settings) -> None:
    """Say at start-up when the service's public address is plain HTTP to a host other than this machine."""
    base = settings.public_base_url
    if base.startswith("http://") and not is_local_host(base.removeprefix("http://").partition("/")[0]):
        logger.warning(
            "CPL_PUBLIC_BASE_URL is plain HTTP (%s): the web app's session cookie cannot be Secure there "
            "and travels unencrypted. Serve cpl over HTTPS in production.",
            base,
        )
