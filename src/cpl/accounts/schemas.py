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


def _normalise_email(value: str) -> str:
    value = value.strip().lower()
    if not _EMAIL.match(value):
        raise ValueError("not an e-mail address")
    return value


Email = Annotated[Line(254), AfterValidator(_normalise_email)]
#: NIST SP 800-63B §3.1.1.2: at least 8 characters, allow long passphrases.
Password = Annotated[str, StringConstraints(min_length=10, max_length=256)]


#: How the person is named to others: on verifications, /verify, PDFs, team views.
DisplayName = Name(200)


class RegisterIn(RequestModel):
    email: Email
    password: Password
    display_name: DisplayName
    device_name: Line(120) = ""


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
