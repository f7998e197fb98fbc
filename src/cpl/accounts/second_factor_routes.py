"""HTTP routes: my second factor (enrol, confirm, recovery codes, turn off) and the sign-in's second step."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from cpl import audit
from cpl.accounts import second_factor
from cpl.accounts.auth import PUBLIC
from cpl.accounts.routes import SESSION_COOKIE_HEADER, AppHeader, signed_in
from cpl.accounts.schemas import TokenOut
from cpl.accounts.second_factor_schemas import (
    ConfirmIn,
    DisableIn,
    EnrolmentOut,
    RecoveryCodesOut,
    SecondFactorOut,
    SecondFactorProofIn,
    SignInCodeIn,
)
from cpl.kernel.principal import AuthedRequest
from cpl.problems import problem_responses
from cpl.settings import Settings


class SignInSecondStepController(Controller):
    path = "/v1/auth/login/second-factor"
    tags = ["accounts"]

    @post(
        "",
        operation_id="loginSecondFactor",
        opt={PUBLIC: True},
        status_code=200,
        responses=problem_responses(400, 401, 413, 422, 429),
        response_headers=[SESSION_COOKIE_HEADER],
    )
    async def complete(
        self,
        request: Request,
        data: JSONBody[SignInCodeIn],
        settings: NamedDependency[Settings],
        x_cpl_app: AppHeader = None,
    ) -> Response[TokenOut]:
        """Finish a sign-in the login answered with 202: the challenge and a code (or a recovery code)
        open the session, for a bearer client or (with `X-CPL-App: 1`) in the app's cookie."""
        async with audit.recorded(request, "signin.second_factor"):
            token, session, account = await second_factor.complete_sign_in(settings, data.challenge, data)
        await audit.record(
            request, "signin", actor=account["id"], subject=account["id"], object=f"session:{session['id']}"
        )
        return signed_in(request, token, session, account)


class SecondFactorController(Controller):
    path = "/v1/me/second-factor"
    tags = ["accounts"]

    @get("", operation_id="getMySecondFactor", responses=problem_responses(401))
    async def show(self, request: AuthedRequest) -> SecondFactorOut:
        """Whether my second factor is on, and whether this session was opened with it."""
        return await second_factor.status(request.user)

    @post("", operation_id="enrolSecondFactor", status_code=201, responses=problem_responses(401, 409))
    async def enrol(self, request: AuthedRequest, settings: NamedDependency[Settings]) -> EnrolmentOut:
        """Make a new authenticator secret (shown only now, with its QR code); it counts once confirmed."""
        return await second_factor.enrol(settings, request.user)

    @post(
        "/confirm",
        operation_id="confirmSecondFactor",
        status_code=200,
        responses=problem_responses(400, 401, 409, 413, 422, 429),
    )
    async def confirm(
        self, request: AuthedRequest, data: JSONBody[ConfirmIn], settings: NamedDependency[Settings]
    ) -> RecoveryCodesOut:
        """Put the enrolled authenticator in force with one of its codes; this session counts as opened
        with it. Answers the recovery codes, shown once."""
        async with audit.recorded(request, "second_factor.enabled", subject=request.user.account_id):
            codes = await second_factor.confirm(settings, request.user, data.code)
        return RecoveryCodesOut(recovery_codes=codes)

    @post(
        "/recovery-codes",
        operation_id="renewRecoveryCodes",
        status_code=200,
        responses=problem_responses(400, 401, 404, 413, 422, 429),
    )
    async def renew(
        self, request: AuthedRequest, data: JSONBody[SecondFactorProofIn], settings: NamedDependency[Settings]
    ) -> RecoveryCodesOut:
        """Ten new recovery codes (shown once) for a code; the old ones stop working."""
        async with audit.recorded(request, "second_factor.recovery_codes_renewed", subject=request.user.account_id):
            codes = await second_factor.new_recovery_codes(settings, request.user, data)
        return RecoveryCodesOut(recovery_codes=codes)

    @post(
        "/disable",
        operation_id="disableSecondFactor",
        status_code=204,
        responses=problem_responses(400, 401, 404, 413, 422, 429),
    )
    async def disable(
        self, request: AuthedRequest, data: JSONBody[DisableIn], settings: NamedDependency[Settings]
    ) -> None:
        """Turn my second factor off (password and a code, or a recovery code). Organisation admins and
        reviewers then can no longer administer or verify until they turn it on again."""
        async with audit.recorded(request, "second_factor.disabled", subject=request.user.account_id):
            await second_factor.disable(settings, request.user, data.password, data)
