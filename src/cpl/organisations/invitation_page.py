"""The page an invitation's link opens (issue 14, item 1): works without JavaScript.

GET shows who invites which address to what, and a form for the password of the account with
that address (it does not use the link up: mail scanners fetch links). POST checks the
password (counted by the sign-in throttle) and accepts. With no account for the address yet,
the page says to create one with that address and follow the link again.
"""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Template
from pydantic import BaseModel

from cpl.accounts.auth import PUBLIC
from cpl.accounts.pages import Token, done, page, problem_page
from cpl.accounts.service import check_credentials
from cpl.client_address import client_address
from cpl.errors import CplError
from cpl.organisations import invitations
from cpl.problems import status_of
from cpl.settings import Settings


class AcceptForm(BaseModel):
    token: str = ""
    password: str = ""


def _invitation_page(settings: Settings, row: dict, token: str, status_code: int = 200, problem: str = "") -> Template:
    return page(
        settings,
        "accept_invitation",
        status_code,
        problem=problem,
        token=token,
        email=row["email"],
        organisation=row["organisation.name"],
        role=invitations.ROLE_NAMES[row["role"]],
        inviter=row["invited_by.display_name"] or "An admin",
    )


class InvitationPageController(Controller):
    path = "/invitations/accept"
    tags = ["pages"]
    include_in_schema = False
    opt = {PUBLIC: True}

    @get("", operation_id="invitationPage")
    async def show(self, settings: NamedDependency[Settings], token: Token = "") -> Template:
        try:
            row = await invitations.invitation_of_link(token)
        except CplError as error:
            return problem_page(settings, error)
        return _invitation_page(settings, row, token)

    @post("", operation_id="acceptInvitationByLink", status_code=200)
    async def accept(
        self,
        request: Request,
        settings: NamedDependency[Settings],
        data: Annotated[AcceptForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Template:
        try:
            row = await invitations.invitation_of_link(data.token)
        except CplError as error:
            return problem_page(settings, error)
        try:
            account = await check_credentials(
                settings,
                email=row["email"],
                password=data.password[:256],
                client_address=client_address(request, settings),
            )
            accepted = await invitations.accept_by_link(data.token, account)
        except CplError as error:
            return _invitation_page(settings, row, data.token, status_of(error), error.detail)
        return done(
            settings,
            f"You have joined {accepted.organisation_name}",
            f"{accepted.email} is now {invitations.ROLE_NAMES[accepted.role]} of {accepted.organisation_name}.",
        )
