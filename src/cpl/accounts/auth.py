"""Authentication for every route not marked public: a bearer token, or the web app's session cookie.

The ``Authorization: Bearer`` header wins; without it, the app's cookie counts only on requests
that carry ``X-CPL-App: 1`` (the CSRF guard, see :mod:`cpl.accounts.cookies`).
"""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.types import ASGIApp

from cpl.accounts.cookies import app_session_token
from cpl.accounts.service import authenticate
from cpl.accounts.session_cache import SessionCache
from cpl.errors import NotAuthenticated
from cpl.kernel.principal import PUBLIC
from cpl.settings import Settings

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="cpl"'}


def _authorization(raw_headers: list[tuple[bytes, bytes]]) -> str:
    """The Authorization header, read straight off the ASGI scope (every request does this,
    and building Litestar's ``Headers`` for it cost ~2 % of a ``PUT``)."""
    for name, value in raw_headers:
        if name == b"authorization":
            return value.decode("latin-1")
    return ""


def _bearer_token(raw_headers: list[tuple[bytes, bytes]]) -> str:
    scheme, _, token = _authorization(raw_headers).partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


class BearerTokenMiddleware(AbstractAuthenticationMiddleware):
    def __init__(self, app: ASGIApp, settings: Settings, sessions: SessionCache) -> None:
        super().__init__(app, exclude=["^/schema"], exclude_from_auth_key=PUBLIC)
        self.settings = settings
        self.sessions = sessions

    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
        token = _bearer_token(connection.scope["headers"]) or app_session_token(connection)
        if not token:
            raise NotAuthenticated(
                "Send a bearer token ('Authorization: Bearer <token>'), or the app's session cookie with "
                "'X-CPL-App: 1'.",
                headers=CHALLENGE,
            )
        try:
            principal = await authenticate(self.settings, self.sessions, token)
        except NotAuthenticated as error:
            error.headers.update(CHALLENGE)
            raise
        return AuthenticationResult(user=principal, auth=principal.session_id)
