"""Accounts and their device sessions."""

from __future__ import annotations

from piccolo.columns import UUID, Boolean, ForeignKey, OnDelete, Text, Timestamptz, Varchar
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
    #: When the person proved they receive mail at ``email`` (a link from cpl followed); until then
    #: the account logs evidence but takes no part in organisations (see :mod:`cpl.accounts.ownership`).
    email_verified_at = Timestamptz(null=True, default=None)


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
    #: Set when the session was opened (or later confirmed) with the account's second factor;
    #: organisation admins and reviewers act only from such a session.
    second_factor_at = Timestamptz(null=True, default=None)


class EmailLink(Table, tablename="email_link"):
    """A one-time link cpl mailed to an address: to confirm it, to reset a password, or to accept
    an invitation. Only the token's SHA-256 is kept; the token itself is only in the mail."""

    id = UUID(primary_key=True)
    #: ``confirm_email`` (sign-up, or a new address), ``reset_password`` or ``invitation``.
    purpose = Varchar(length=32)
    token_hash = Varchar(length=64, unique=True)
    #: The address the link was mailed to (for a change of address: the new one).
    email = Varchar(length=254)
    #: The account it acts on (none for an invitation).
    account = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=True, index=True)
    #: What else it is about (an invitation's id).
    subject = UUID(null=True, default=None, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    #: Set when followed, or when a newer link of the same purpose replaced it; then it works no more.
    used_at = Timestamptz(null=True, default=None)


class AccountErasure(Table, tablename="account_erasure"):
    """One account's erasure, asked for with ``DELETE /v1/me`` and carried out by the erasure job.

    ``status``: ``queued`` (the account is closed, its data not yet erased), ``files`` (the
    database holds nothing about the person any more; the objects in the store are being
    deleted), ``done``. After ``queued`` the row says nothing about anyone: ``email`` is
    emptied in the transaction that erases the rest.
    """

    id = UUID(primary_key=True)
    #: Not a foreign key: the erased account's emptied row is no business of this one.
    account = UUID(index=True)
    #: The address the account had, needed to find mail and invitations sent to it; "" once erased.
    email = Varchar(length=254, default="")
    status = Varchar(length=16, default="queued", index=True)
    requested_at = Timestamptz(default=TimestamptzNow())
    finished_at = Timestamptz(null=True, default=None)
