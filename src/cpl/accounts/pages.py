"""The pages the links in cpl's mail open: confirm an address, reset a password (issue 14, item 1).

They work in any browser without JavaScript: a GET shows a small form and changes nothing (mail
scanners fetch links before people do, so a GET must not use the link up); the form's POST
does the action. Each page answers with the status of what happened, and carries
:data:`cpl.templating.PAGE_HEADERS` (and, like every page, those of :mod:`cpl.page_headers`).
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.background_tasks import BackgroundTask
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, QueryParameter
from litestar.response import Template
from pydantic import BaseModel

from cpl import audit
from cpl.accounts import recovery, service, signup
from cpl.accounts.auth import PUBLIC
from cpl.accounts.schemas import normalise_email
from cpl.accounts.session_cache import SessionCache
from cpl.errors import CplError
from cpl.mail import send_queued
from cpl.problems import status_of
from cpl.settings import Settings
from cpl.templating import PAGE_HEADERS

Token = Annotated[str, QueryParameter(description="The token from the link in the mail", max_length=200)]


class TokenForm(BaseModel):
    token: str = ""


class PasswordForm(BaseModel):
    token: str = ""
    password: str = ""


class EmailForm(BaseModel):
    email: str = ""


def page(
    settings: Settings, name: str, status_code: int = 200, background: BackgroundTask | None = None, **context: Any
) -> Template:
    return Template(
        template_name=f"pages/{name}.html",
        context={"service": settings.service_name, "problem": "", **context},
        headers=PAGE_HEADERS,
        status_code=status_code,
        background=background,
    )


def problem_page(settings: Settings, error: CplError) -> Template:
    return page(settings, "link_problem", status_of(error), problem=error.detail)


def done(settings: Settings, heading: str, message: str) -> Template:
    return page(settings, "done", heading=heading, message=message)


class AccountPagesController(Controller):
    path = "/account"
    tags = ["pages"]
    include_in_schema = False
    opt = {PUBLIC: True}

    @get("/confirm-email", operation_id="confirmEmailPage")
    async def confirm_page(self, settings: NamedDependency[Settings], token: Token = "") -> Template:
        try:
            email = await signup.address_to_confirm(token)
        except CplError as error:
            return problem_page(settings, error)
        return page(settings, "confirm_email", email=email, token=token)

    @post("/confirm-email", operation_id="confirmEmail", status_code=200)
    async def confirm(
        self,
        request: Request,
        settings: NamedDependency[Settings],
        data: Annotated[TokenForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Template:
        try:
            email = await signup.confirm_email(data.token)
        except CplError as error:
            return problem_page(settings, error)
        account = await service.account_id_by_email(email)
        await audit.record(request, "email.confirmed", actor=account, subject=account)
        return done(settings, "Address confirmed", f"{email} is confirmed as your account's address.")

    @get("/reset-password", operation_id="resetPasswordPage")
    async def reset_page(self, settings: NamedDependency[Settings], token: Token = "") -> Template:
        try:
            email = await recovery.reset_address(token)
        except CplError as error:
            return problem_page(settings, error)
        return page(settings, "reset_password", email=email, token=token)

    @post("/reset-password", operation_id="resetPassword", status_code=200)
    async def reset(
        self,
        request: Request,
        settings: NamedDependency[Settings],
        sessions: NamedDependency[SessionCache],
        data: Annotated[PasswordForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Template:
        try:
            email = await recovery.reset_address(data.token)
        except CplError as error:
            return problem_page(settings, error)
        if not 10 <= len(data.password) <= 256:
            problem = "The password must have 10 to 256 characters."
            return page(settings, "reset_password", 422, email=email, token=data.token, problem=problem)
        try:
            await recovery.reset_password(settings, sessions, data.token, data.password)
        except CplError as error:
            return problem_page(settings, error)
        account = await service.account_id_by_email(email)
        await audit.record(request, "password.reset", actor=account, subject=account)
        return done(settings, "Password changed", "Your new password is set; every device was signed out.")

    @get("/forgot-password", operation_id="forgotPasswordPage")
    async def forgot_page(self, settings: NamedDependency[Settings]) -> Template:
        return page(settings, "forgot_password", sent=False)

    @post("/forgot-password", operation_id="forgotPassword", status_code=200)
    async def forgot(
        self,
        settings: NamedDependency[Settings],
        data: Annotated[EmailForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Template:
        try:
            email = normalise_email(data.email)
        except ValueError:
            return page(settings, "forgot_password", 422, sent=False, problem="That is not an e-mail address.")
        mail = await recovery.request_reset(settings, email)
        return page(
            settings, "forgot_password", background=BackgroundTask(send_queued, settings, mail), sent=True, email=email
        )
