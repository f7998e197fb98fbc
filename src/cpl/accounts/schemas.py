"""Request and response bodies for accounts and sessions."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BaseModel, Field, StringConstraints

from cpl.kernel.fields import Line, Name
from cpl.kernel.schemas import RequestModel

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_email(value: str) -> str:
    value = value.strip().lower()
    if not _EMAIL.match(value):
        raise ValueError("not an e-mail address")
    return value


Email = Annotated[Line(254), AfterValidator(normalise_email)]
#: NIST SP 800-63B §3.1.1.2: at least 8 characters, allow long passphrases.
Password = Annotated[str, StringConstraints(min_length=10, max_length=256)]


#: How the person is named to others: on verifications, /verify, PDFs, team views.
DisplayName = Name(200)


class RegisterIn(RequestModel):
    email: Email
    password: Password
    display_name: DisplayName


class SignUpOut(BaseModel):
    """The answer to a sign-up: the same whether or not the address already had an account."""

    email: str = Field(description="The address, as cpl stores it (lower-cased)")
    detail: str


class PasswordResetIn(RequestModel):
    email: Email


class PasswordChangeIn(RequestModel):
    current_password: Annotated[str, StringConstraints(min_length=1, max_length=256)]
    new_password: Password


class EmailChangeIn(RequestModel):
    email: Email = Field(description="The new address; it takes effect once the link mailed to it is followed")
    password: Annotated[str, StringConstraints(min_length=1, max_length=256)]


class MailSentOut(BaseModel):
    email: str
    detail: str


class LoginIn(RequestModel):
    email: Email
    password: Annotated[str, StringConstraints(min_length=1, max_length=256)]
    #: Shown in the list of sessions, to tell devices apart ("Pixel 8", "work laptop").
    device_name: Line(120) = ""


class AccountOut(BaseModel):
    id: UUID
    email: str
    display_name: str
    is_admin: bool
    created_at: datetime
    email_verified: bool = Field(
        description="Whether the address is confirmed (a link cpl mailed to it was followed); until it is, "
        "the account cannot join organisations, supervise or verify"
    )

    @classmethod
    def of(cls, row: dict) -> AccountOut:
        return cls(
            id=row["id"],
            email=row["email"],
            display_name=row["display_name"],
            is_admin=row["is_admin"],
            created_at=row["created_at"],
            email_verified=row["email_verified_at"] is not None,
        )


class SessionOut(BaseModel):
    id: UUID
    device_name: str
    created_at: datetime
    last_used_at: datetime
    expires_at: datetime
    current: bool = Field(description="True for the session making this request")


class TokenOut(BaseModel):
    """A new session. Its bearer token is shown once and never stored by the server."""

    token: str | None = Field(
        description="The bearer token, shown once; null when the web app signed in (`X-CPL-App: 1`), "
        "whose token is in an HttpOnly cookie instead"
    )
    token_type: str = "Bearer"
    expires_at: datetime
    session_id: UUID
    account: AccountOut
