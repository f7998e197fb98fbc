"""A person's second factor (TOTP), their recovery codes, and sign-ins waiting for a code."""

from __future__ import annotations

from piccolo.columns import UUID, BigInt, ForeignKey, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from cpl.accounts.tables import Account


class SecondFactor(Table, tablename="second_factor"):
    """An account's TOTP authenticator: at most one, pending until confirmed with a code."""

    id = UUID(primary_key=True)
    account = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False, unique=True)
    #: The base32 secret, sealed under the service's key when one is configured (``cpl.accounts.totp``).
    secret = Text()
    created_at = Timestamptz(default=TimestamptzNow())
    #: Set when the person proved, with a code, that their app holds the secret; only then does it count.
    confirmed_at = Timestamptz(null=True, default=None)
    #: The latest time step whose code was accepted: that step and earlier ones are refused (no replay).
    last_used_step = BigInt(null=True, default=None)


class RecoveryCode(Table, tablename="recovery_code"):
    """A single-use code standing in for the authenticator; only its SHA-256 is kept."""

    id = UUID(primary_key=True)
    account = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False, index=True)
    code_hash = Varchar(length=64)
    used_at = Timestamptz(null=True, default=None)


class SignInChallenge(Table, tablename="sign_in_challenge"):
    """A sign-in whose password was right, waiting for the second-factor code; single use, short-lived."""

    id = UUID(primary_key=True)
    #: SHA-256 of the challenge token handed to the client; the token itself is never stored.
    token_hash = Varchar(length=64, unique=True)
    account = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False, index=True)
    device_name = Varchar(length=120, default="")
    client_address = Varchar(length=64, default="")
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
