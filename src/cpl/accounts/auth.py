"""Bearer-token authentication for every route not marked public."""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.types import ASGIApp

from cpl.accounts.service import authenticate
from cpl.accounts.session_cache import SessionCache
from cpl.errors import NotAuthenticated
from cpl.settings import Settings

#: Route ``opt`` key that marks a handler public (health, register, login, verification pages).
PUBLIC = "public"

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="cpl"'}


def _authorization(raw_headers: list[tuple[bytes, bytes]]) -> str:
    """The Authorization header, read straight off the ASGI scope (every request does this,
    and building Litestar's ``Headers`` for it cost ~2 % of a ``PUT``)."""
    for name, value in raw_headers:
        if name == b"authorization":
            return value.decode("latin-1")
    return ""


class BearerTokenMiddleware(AbstractAuthenticationMiddleware):
    def __init__(self, app: ASGIApp, settings: Settings, sessions: SessionCache) -> None:
        super().__init__(app, exclude=["^/schema"], exclude_from_auth_key=PUBLIC)
        self.settings = settings
        self.sessions = sessions

    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
        scheme, _, token = _authorization(connection.scope["headers"]).partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthenticated("Send a bearer token: 'Authorization: Bearer <token>'.", headers=CHALLENGE)
        try:
            principal = await authenticate(self.settings, self.sessions, token.strip())
        except NotAuthenticated as error:
            error.headers.update(CHALLENGE)
            raise
        return AuthenticationResult(user=principal, auth=principal.session_id)
