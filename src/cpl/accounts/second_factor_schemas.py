"""Request and response bodies of the second factor and of the sign-in's second step."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Self

from pydantic import BaseModel, Field, StringConstraints, model_validator

from cpl.kernel.schemas import RequestModel

#: Six digits from the authenticator app.
Code = Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$")]
#: A recovery code as shown (``k7qm2-xw9ta``); case, spaces and hyphens are ignored.
RecoveryCodeText = Annotated[str, StringConstraints(min_length=10, max_length=20, pattern=r"^[A-Za-z2-7 -]+$")]


class SecondFactorProofIn(RequestModel):
    """A code from the authenticator app, or one of the recovery codes: exactly one of the two."""

    code: Code | None = None
    recovery_code: RecoveryCodeText | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        if (self.code is None) == (self.recovery_code is None):
            raise ValueError("give either code (from the authenticator app) or recovery_code, not both or neither")
        return self


class ConfirmIn(RequestModel):
    code: Code


class DisableIn(SecondFactorProofIn):
    password: Annotated[str, StringConstraints(min_length=1, max_length=256)]


class SignInCodeIn(SecondFactorProofIn):
    challenge: Annotated[str, StringConstraints(min_length=1, max_length=100)] = Field(
        description="The `challenge` from the login answer (202)"
    )


class EnrolmentOut(BaseModel):
    """A new authenticator, not yet in force: it counts once a code from it is confirmed."""

    secret: str = Field(description="The base32 secret, for typing into an app; shown only now")
    otpauth_uri: str = Field(description="The `otpauth://totp/…` key URI the QR code holds")
    qr_code: str = Field(description="The key URI as a QR code, a `data:image/png;base64,…` URL")


class RecoveryCodesOut(BaseModel):
    recovery_codes: list[str] = Field(description="Ten single-use codes, shown once: keep them somewhere safe")


class SecondFactorOut(BaseModel):
    enabled: bool = Field(description="A confirmed authenticator is in force")
    pending: bool = Field(description="An authenticator was enrolled but not yet confirmed with a code")
    confirmed_at: datetime | None
    recovery_codes_left: int
    this_session: bool = Field(description="This session was opened (or confirmed) with the second factor")


class SecondFactorChallengeOut(BaseModel):
    """The password was right; the sign-in waits for a code (`POST /v1/auth/login/second-factor`)."""

    second_factor_required: bool = True
    challenge: str = Field(description="Send it back with the code; single use")
    expires_at: datetime
