"""HTTP routes: sign up, log in and out, reset a password; my account, address, password and devices' sessions."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, post
from litestar.background_tasks import BackgroundTask
from litestar.datastructures import ResponseHeader
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, HeaderParameter, JSONBody

from cpl import audit
from cpl.accounts import address, erasure, recovery, service, signup, throttle
from cpl.accounts.auth import PUBLIC
from cpl.accounts.cookies import APP_HEADER, cleared_session_cookie, is_app_request, session_cookie
from cpl.accounts.erasure_schemas import ErasureIn, ErasureOut
from cpl.accounts.schemas import (
    AccountOut,
    EmailChangeIn,
    LoginIn,
    MailSentOut,
    PasswordChangeIn,
    PasswordResetIn,
    RegisterIn,
    SessionOut,
    SignUpOut,
    TokenOut,
)
from cpl.accounts.second_factor_schemas import SecondFactorChallengeOut
from cpl.accounts.session_cache import SessionCache
from cpl.client_address import client_address
from cpl.errors import NotAuthenticated, TooManyAttempts
from cpl.kernel.jobs import wake_job
from cpl.kernel.principal import AuthedRequest
from cpl.mail import send_queued
from cpl.problems import problem_responses
from cpl.settings import Settings

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


def signed_in(request: Request, token: str, session: dict[str, Any], account: dict[str, Any]) -> Response[TokenOut]:
    """The sign-in answer: the token in the body for API clients, in an HttpOnly cookie for the web app."""
    from_app = is_app_request(request)
    body = TokenOut(
        token=None if from_app else token,
        expires_at=session["expires_at"],
        session_id=session["id"],
        account=AccountOut.of(account),
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
        status_code=202,
        responses=problem_responses(400, 413, 422, 429, 503),
    )
    async def register(
        self, request: Request, data: JSONBody[RegisterIn], settings: NamedDependency[Settings]
    ) -> SignUpOut:
        """Sign up. The answer is the same whether or not the address already has an account (it never says
        which): a new address gets a link to confirm it, a taken one a notice to its owner. Nobody is signed
        in: sign in next with the same password (a new account logs evidence at once, before confirming).
        Sign-ups are throttled per e-mail and per client address."""
        await throttle.count_signup_attempt(settings, data.email, client_address(request, settings))
        await signup.sign_up(settings, email=data.email, password=data.password, display_name=data.display_name)
        return SignUpOut(
            email=data.email,
            detail=f"We have sent a message to {data.email}. If you are new, follow its link to confirm your address; "
            "you can sign in and log your learning meanwhile.",
        )

    @post(
        "/password-reset",
        operation_id="requestPasswordReset",
        opt={PUBLIC: True},
        status_code=202,
        responses=problem_responses(400, 413, 422),
    )
    async def password_reset(
        self, data: JSONBody[PasswordResetIn], settings: NamedDependency[Settings]
    ) -> Response[MailSentOut]:
        """Mail a link to choose a new password. The answer is the same whether or not the address has an
        account (the mail goes out after the answer)."""
        mail = await recovery.request_reset(settings, data.email)
        body = MailSentOut(
            email=data.email,
            detail=f"If {data.email} has an account, a link to choose a new password is on its way there.",
        )
        return Response(body, status_code=202, background=BackgroundTask(send_queued, settings, mail))

    @post(
        "/login",
        operation_id="login",
        opt={PUBLIC: True},
        status_code=200,
        responses={
            202: ResponseSpec(
                data_container=SecondFactorChallengeOut,
                description="The password is right and the account has a second factor: send a code with the challenge",
                generate_examples=False,
            ),
            **problem_responses(400, 401, 413, 422, 429, 503),
        },
        response_headers=[SESSION_COOKIE_HEADER],
    )
    async def login(
        self,
        request: Request,
        data: JSONBody[LoginIn],
        settings: NamedDependency[Settings],
        x_cpl_app: AppHeader = None,
    ) -> Response[TokenOut]:
        """Sign a device in. The answer never says whether the e-mail has an account.

        When the account has a second factor, a right password answers 202 with a challenge
        instead of a session: send it with a code to `POST /v1/auth/login/second-factor`."""
        try:
            signed = await service.log_in(
                settings,
                email=data.email,
                password=data.password,
                device_name=data.device_name,
                client_address=client_address(request, settings),
            )
        except (NotAuthenticated, TooManyAttempts) as error:
            outcome = "throttled" if isinstance(error, TooManyAttempts) else "failure"
            await audit.record(
                request, "signin", actor=None, subject=await service.account_id_by_email(data.email), outcome=outcome
            )
            raise
        if isinstance(signed, service.SecondFactorChallenge):
            challenge = SecondFactorChallengeOut(challenge=signed.token, expires_at=signed.expires_at)
            return Response(challenge, status_code=202)
        token, session, account = signed
        await audit.record(
            request, "signin", actor=account["id"], subject=account["id"], object=f"session:{session['id']}"
        )
        return signed_in(request, token, session, account)

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
        await audit.record(
            request, "session.revoked", subject=request.user.account_id, object=f"session:{request.user.session_id}"
        )
        return Response(
            None, status_code=204, cookies=[cleared_session_cookie(request)] if is_app_request(request) else []
        )


class MeController(Controller):
    path = "/v1/me"
    tags = ["accounts"]

    @get("", operation_id="getMe", responses=problem_responses(401))
    async def me(self, request: AuthedRequest) -> AccountOut:
        """My account: e-mail, display name and when it was created."""
        return AccountOut.of(await service.get_account(request.user.account_id))

    @post(
        "/email-verification",
        operation_id="resendEmailVerification",
        status_code=202,
        responses=problem_responses(401, 409, 429),
    )
    async def resend_verification(self, request: AuthedRequest, settings: NamedDependency[Settings]) -> MailSentOut:
        """Mail a new link to confirm my address (the older ones stop working)."""
        email = await signup.resend_confirmation(settings, request.user.account_id)
        return MailSentOut(email=email, detail=f"A new link to confirm your address is on its way to {email}.")

    @post(
        "/email",
        operation_id="changeMyEmail",
        status_code=202,
        responses=problem_responses(400, 401, 403, 413, 422, 429),
    )
    async def change_email(
        self, request: AuthedRequest, data: JSONBody[EmailChangeIn], settings: NamedDependency[Settings]
    ) -> MailSentOut:
        """Ask to move my account to a new address: it takes effect once the link mailed there is followed.
        My current address is told of the request."""
        async with audit.recorded(request, "email.change_requested", subject=request.user.account_id):
            await address.request_change(
                settings, request.user, data.email, data.password, client_address(request, settings)
            )
        return MailSentOut(
            email=data.email,
            detail=f"Follow the link sent to {data.email} to make it your address; until then nothing changes.",
        )

    @post(
        "/password",
        operation_id="changeMyPassword",
        status_code=204,
        responses=problem_responses(400, 401, 403, 413, 422, 429),
    )
    async def change_password(
        self,
        request: AuthedRequest,
        data: JSONBody[PasswordChangeIn],
        settings: NamedDependency[Settings],
        sessions: NamedDependency[SessionCache],
    ) -> None:
        """Change my password; every other device of mine is signed out (this one stays signed in)."""
        async with audit.recorded(request, "password.changed", subject=request.user.account_id):
            await recovery.change_password(
                settings,
                sessions,
                request.user,
                data.current_password,
                data.new_password,
                client_address(request, settings),
            )

    @delete("", operation_id="eraseMyAccount", status_code=202, responses=problem_responses(400, 401, 403, 422, 429))
    async def erase(
        self,
        request: AuthedRequest,
        data: JSONBody[ErasureIn],
        settings: NamedDependency[Settings],
        sessions: NamedDependency[SessionCache],
    ) -> Response[ErasureOut]:
        """Erase my account: it is closed at once (every session ends, nobody can sign in), and
        everything cpl holds about me is erased by a job; follow it at ``status_url``."""
        row = await erasure.request_erasure(
            settings,
            sessions,
            request.user,
            password=data.password,
            proof=data.proof(),
            confirm=data.confirm,
            client_address=client_address(request, settings),
        )
        wake_job(request, "privacy_job")
        cookies = [cleared_session_cookie(request)] if is_app_request(request) else []
        return Response(ErasureOut.of(row), status_code=202, cookies=cookies)

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
        await audit.record(request, "session.revoked", subject=request.user.account_id, object=f"session:{session_id}")


class ErasureStatusController(Controller):
    path = "/v1/erasures"
    tags = ["accounts"]

    @get("/{erasure_id:uuid}", operation_id="getErasure", opt={PUBLIC: True}, responses=problem_responses(404))
    async def status(self, erasure_id: FromPath[UUID]) -> ErasureOut:
        """How far an erasure has gone (queued, files, done). Public, the id being the only key (the
        erased person has no session any more); it says nothing about whose erasure it is."""
        return ErasureOut.of(await erasure.erasure_status(erasure_id))
