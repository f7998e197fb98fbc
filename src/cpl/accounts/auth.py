"""Bearer-token authentication for every route not marked public."""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.types import ASGIApp

from cpl.accounts.service import authenticate
from cpl.errors import NotAuthenticated
from cpl.settings import Settings

#: Route ``opt`` key that marks a handler public (health, register, login, verification pages).
PUBLIC = "public"

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="cpl"'}


class BearerTokenMiddleware(AbstractAuthenticationMiddleware):
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        super().__init__(app, exclude=["^/schema"], exclude_from_auth_key=PUBLIC)
        self.settings = settings

    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
        scheme, _, token = connection.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthenticated("Send a bearer token: 'Authorization: Bearer <token>'.", headers=CHALLENGE)
        try:
            principal = await authenticate(self.settings, token.strip())
        except NotAuthenticated as error:
            error.headers.update(CHALLENGE)
            raise
        return AuthenticationResult(user=principal, auth=principal.session_id)
