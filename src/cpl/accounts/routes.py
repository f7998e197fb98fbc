"""HTTP routes: register, log in and out, my account and my devices' sessions."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, post
from litestar.datastructures import ResponseHeader
from litestar.di import NamedDependency
from litestar.params import FromPath, HeaderParameter, JSONBody

from cpl.accounts import service
from cpl.accounts.auth import PUBLIC
from cpl.accounts.cookies import APP_HEADER, cleared_session_cookie, is_app_request, session_cookie
from cpl.accounts.schemas import AccountOut, LoginIn, RegisterIn, SessionOut, TokenOut
from cpl.accounts.session_cache import SessionCache
from cpl.kernel.principal import AuthedRequest
from cpl.problems import problem_responses
from cpl.settings import Settings


def _client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


#: Documents the app's header on the routes that set or clear its cookie (the value is read by
#: :func:`cpl.accounts.cookies.is_app_request`).
AppHeader = Annotated[
    str | None,
    HeaderParameter(
        name=APP_HEADER,
        description="`1` from cpl's web app: the session goes into an HttpOnly cookie and `token` is null",
        pattern="^1$",
    ),
]
SESSION_COOKIE_HEADER = ResponseHeader(
    name="Set-Cookie",
    documentation_only=True,
    description=(
        "Only with `X-CPL-App: 1`: the session cookie (`__Host-cpl_session`; Secure, HttpOnly, SameSite=Strict, "
        "Path=/; named `cpl_session` without Secure over plain HTTP to a host other than localhost). "
        "It authenticates only requests carrying `X-CPL-App: 1`."
    ),
)


def _signed_in(request: Request, token: str, session: dict[str, Any], account: dict[str, Any]) -> Response[TokenOut]:
    """The sign-in answer: the token in the body for API clients, in an HttpOnly cookie for the web app."""
    from_app = is_app_request(request)
    body = TokenOut(
        token=None if from_app else token,
        expires_at=session["expires_at"],
        session_id=session["id"],
        account=AccountOut(**account),
    )
    cookies = [session_cookie(request, token, session["expires_at"])] if from_app else []
    return Response(body, cookies=cookies)


class AuthController(Controller):
    path = "/v1/auth"
    tags = ["accounts"]

    @post(
        "/register",
        operation_id="register",
        opt={PUBLIC: True},
        status_code=201,
        responses=problem_responses(400, 409, 413, 422),
        response_headers=[SESSION_COOKIE_HEADER],
    )
    async def register(
        self,
        request: Request,
        data: JSONBody[RegisterIn],
        settings: NamedDependency[Settings],
        x_cpl_app: AppHeader = None,
    ) -> Response[TokenOut]:
        """Create an account and sign this device in."""
        account = await service.create_account(
            settings, email=data.email, password=data.password, display_name=data.display_name
        )
        token, session = await service.start_session(
            settings, account["id"], device_name=data.device_name, client_address=_client_address(request)
        )
        return _signed_in(request, token, session, account)

    @post(
        "/login",
        operation_id="login",
        opt={PUBLIC: True},
        status_code=200,
        responses=problem_responses(400, 401, 413, 422, 429),
        response_headers=[SESSION_COOKIE_HEADER],
    )
    async def login(
        self,
        request: Request,
        data: JSONBody[LoginIn],
        settings: NamedDependency[Settings],
        x_cpl_app: AppHeader = None,
    ) -> Response[TokenOut]:
        """Sign a device in. The answer never says whether the e-mail has an account."""
        token, session, account = await service.log_in(
            settings,
            email=data.email,
            password=data.password,
            device_name=data.device_name,
            client_address=_client_address(request),
        )
        return _signed_in(request, token, session, account)

    @post(
        "/logout",
        operation_id="logout",
        status_code=204,
        responses=problem_responses(401, 422),
        response_headers=[
            ResponseHeader(
                name="Set-Cookie",
                documentation_only=True,
                description="Only with `X-CPL-App: 1`: the session cookie, expired",
            )
        ],
    )
    async def logout(
        self, request: AuthedRequest, sessions: NamedDependency[SessionCache], x_cpl_app: AppHeader = None
    ) -> Response[None]:
        """End the session that made this request (bearer token or the app's cookie); the app's cookie is cleared."""
        await service.revoke_session(sessions, request.user.account_id, request.user.session_id)
        return Response(
            None, status_code=204, cookies=[cleared_session_cookie(request)] if is_app_request(request) else []
        )


class MeController(Controller):
    path = "/v1/me"
    tags = ["accounts"]

    @get("", operation_id="getMe", responses=problem_responses(401))
    async def me(self, request: AuthedRequest) -> AccountOut:
        """My account: e-mail, display name and when it was created."""
        return AccountOut(**await service.get_account(request.user.account_id))

    @get("/sessions", operation_id="listMySessions", responses=problem_responses(401))
    async def sessions(self, request: AuthedRequest) -> list[SessionOut]:
        """My signed-in devices."""
        rows = await service.list_sessions(request.user.account_id)
        return [SessionOut(**row, current=row["id"] == request.user.session_id) for row in rows]

    @delete(
        "/sessions/{session_id:uuid}",
        operation_id="revokeMySession",
        status_code=204,
        responses=problem_responses(401, 404),
    )
    async def revoke(
        self, request: AuthedRequest, session_id: FromPath[UUID], sessions: NamedDependency[SessionCache]
    ) -> None:
        """Sign one of my devices out (a lost phone, say)."""
        await service.revoke_session(sessions, request.user.account_id, session_id)
