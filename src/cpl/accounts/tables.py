"""Accounts, their device sessions, and the failed-login ledger."""

from __future__ import annotations

from piccolo.columns import UUID, Boolean, ForeignKey, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class Account(Table, tablename="account"):
    """A person using cpl. The evidence they log belongs to them, whoever employs them."""

    id = UUID(primary_key=True)
    #: Stored lower-cased; one account per address.
    email = Varchar(length=254, unique=True)
    display_name = Varchar(length=200)
    #: argon2id PHC string; never the password.
    password_hash = Text()
    #: Operators: made only from the command line (``cpl users create --admin``).
    is_admin = Boolean(default=False)
    #: The worker's id in the credentials cpl issues (``urn:uuid:<this>``); random, made at the first
    #: credential export, never shown as anything but that id. Unique (index in the migrations).
    credential_subject = UUID(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class AuthSession(Table, tablename="auth_session"):
    """One signed-in device. The bearer token itself is never stored, only its SHA-256."""

    id = UUID(primary_key=True)
    account = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False, index=True)
    token_hash = Varchar(length=64, unique=True)
    device_name = Varchar(length=120, default="")
    client_address = Varchar(length=64, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    last_used_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    #: Set on log-out or revocation; a revoked session never authenticates again.
    revoked_at = Timestamptz(null=True, default=None)


class LoginFailure(Table, tablename="login_failure"):
    """A failed login, counted per account e-mail and per client address to throttle guessing."""

    id = Serial(primary_key=True)
    #: ``account:<email>`` or ``address:<ip>``.
    subject = Varchar(length=300, index=True)
    failed_at = Timestamptz(default=TimestamptzNow(), index=True)
