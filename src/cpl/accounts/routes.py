"""HTTP routes: register, log in and out, my account and my devices' sessions."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from cpl.accounts import service
from cpl.accounts.auth import PUBLIC
from cpl.accounts.schemas import AccountOut, LoginIn, RegisterIn, SessionOut, TokenOut
from cpl.accounts.session_cache import SessionCache
from cpl.kernel.principal import AuthedRequest
from cpl.problems import problem_responses
from cpl.settings import Settings


def _client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _token_out(token: str, session: dict[str, Any], account: dict[str, Any]) -> TokenOut:
    return TokenOut(
        token=token, expires_at=session["expires_at"], session_id=session["id"], account=AccountOut(**account)
    )


class AuthController(Controller):
    path = "/v1/auth"
    tags = ["accounts"]

    @post(
        "/register",
        operation_id="register",
        opt={PUBLIC: True},
        status_code=201,
        responses=problem_responses(400, 409, 413, 422),
    )
    async def register(
        self, request: Request, data: JSONBody[RegisterIn], settings: NamedDependency[Settings]
    ) -> TokenOut:
        """Create an account and sign this device in."""
        account = await service.create_account(
            settings, email=data.email, password=data.password, display_name=data.display_name
        )
        token, session = await service.start_session(
            settings, account["id"], device_name=data.device_name, client_address=_client_address(request)
        )
        return _token_out(token, session, account)

    @post(
        "/login",
        operation_id="login",
        opt={PUBLIC: True},
        status_code=200,
        responses=problem_responses(400, 401, 413, 422, 429),
    )
    async def login(self, request: Request, data: JSONBody[LoginIn], settings: NamedDependency[Settings]) -> TokenOut:
        """Sign a device in. The answer never says whether the e-mail has an account."""
        token, session, account = await service.log_in(
            settings,
            email=data.email,
            password=data.password,
            device_name=data.device_name,
            client_address=_client_address(request),
        )
        return _token_out(token, session, account)

    @post("/logout", operation_id="logout", status_code=204, responses=problem_responses(401))
    async def logout(self, request: AuthedRequest, sessions: NamedDependency[SessionCache]) -> None:
        """End the session whose token made this request."""
        await service.revoke_session(sessions, request.user.account_id, request.user.session_id)


class MeController(Controller):
    path = "/v1/me"
    tags = ["accounts"]

    @get("", operation_id="getMe", responses=problem_responses(401))
    async def me(self, request: AuthedRequest) -> AccountOut:
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
