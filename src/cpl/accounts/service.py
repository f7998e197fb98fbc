"""Accounts and their device sessions.

Bearer tokens are 256 random bits, shown to the client once; only their SHA-256 is kept,
so a copy of the database grants no access. Every session expires, and a revoked one
never authenticates again.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from cpl.accounts import passwords, second_factor_repository, throttle
from cpl.accounts.session_cache import SessionCache, announce_revoked
from cpl.accounts.tables import Account, AuthSession
from cpl.db import Sql, write_transaction
from cpl.errors import Conflict, NotAuthenticated, NotFound
from cpl.kernel import clock
from cpl.kernel.principal import Principal
from cpl.settings import Settings

ACCOUNT_FIELDS = (
    Account.id,
    Account.email,
    Account.display_name,
    Account.is_admin,
    Account.created_at,
    Account.email_verified_at,
)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_account(
    settings: Settings, *, email: str, password: str, display_name: str, is_admin: bool = False
) -> dict[str, Any]:
    """Make an account from the command line (an operator's, or the demo's). An e-mail has at most
    one account. The operator vouches for the address, so it counts as verified; people who sign
    up themselves go through :mod:`cpl.accounts.signup` instead."""
    password_hash = await passwords.hash_password(settings, password)
    async with write_transaction():
        if await Account.exists().where(Account.email == email):
            raise Conflict("An account with this e-mail already exists.")
        account_id = uuid4()
        await Account.insert(
            Account(
                id=account_id,
                email=email,
                display_name=display_name,
                password_hash=password_hash,
                is_admin=is_admin,
                email_verified_at=clock.now(),
            )
        )
    return await get_account(account_id)


async def get_account(account_id: UUID) -> dict[str, Any]:
    account = await Account.select(*ACCOUNT_FIELDS).where(Account.id == account_id).first()
    if account is None:
        raise NotFound("No such account.")
    return account


async def credential_subject(account_id: UUID) -> str:
    """The ``urn:uuid`` that names the worker in the credentials cpl issues (``credentialSubject.id``).

    Random, made the first time it is needed and kept on the account, so every credential names
    the same subject; it reveals nothing about the person (issue 17). Two exports asking at once
    get the same one: only an update that finds the column empty writes it.
    """
    row = await Account.select(Account.credential_subject).where(Account.id == account_id).first()
    if row is None:
        raise NotFound("No such account.")
    if row["credential_subject"] is None:
        await Account.update({Account.credential_subject: uuid4()}).where(
            (Account.id == account_id) & Account.credential_subject.is_null()
        )
        row = await Account.select(Account.credential_subject).where(Account.id == account_id).first()
    return f"urn:uuid:{row['credential_subject']}"


async def start_session(
    settings: Settings, account_id: UUID, *, device_name: str, client_address: str, second_factor: bool = False
) -> tuple[str, dict[str, Any]]:
    """Open a session for one device; returns the bearer token (shown once) and the session.
    ``second_factor``: the sign-in passed the account's second factor as well as its password."""
    token = secrets.token_urlsafe(32)
    now = clock.now()
    session = {
        "id": uuid4(),
        "device_name": device_name,
        "created_at": now,
        "last_used_at": now,
        "expires_at": now + settings.token_ttl,
    }
    await AuthSession.insert(
        AuthSession(
            account=account_id,
            token_hash=_token_hash(token),
            client_address=client_address[:64],
            second_factor_at=now if second_factor else None,
            **session,
        )
    )
    return token, session


async def session_has_second_factor(session_id: UUID) -> bool:
    """Whether the session was opened, or later confirmed, with the account's second factor."""
    return await AuthSession.exists().where((AuthSession.id == session_id) & AuthSession.second_factor_at.is_not_null())


async def mark_session_second_factor(session_id: UUID) -> None:
    """The person just proved their second factor from this session (confirming it)."""
    await AuthSession.update({AuthSession.second_factor_at: clock.now()}).where(AuthSession.id == session_id)


async def unmark_sessions_second_factor(account_id: UUID) -> None:
    """The second factor was turned off: no session of the account counts as opened with it any more."""
    await AuthSession.update({AuthSession.second_factor_at: None}).where(AuthSession.account == account_id)


@dataclass(frozen=True)
class SecondFactorChallenge:
    """The password was right, and the account has a second factor: the sign-in waits for a code."""

    token: str
    expires_at: datetime


async def check_credentials(settings: Settings, *, email: str, password: str, client_address: str) -> UUID:
    """The account whose e-mail and password these are, or 401.

    Wrong password and unknown e-mail get the same answer after the same work. Every attempt
    counts against the e-mail's and the address's budgets before the password is checked
    (:mod:`cpl.accounts.throttle`); a good one is given back.
    """
    await throttle.count_login_attempt(settings, email, client_address)
    row = await Account.select(Account.id, Account.password_hash).where(Account.email == email).first()
    if not await passwords.verify_password(settings, row["password_hash"] if row else None, password):
        raise NotAuthenticated("The e-mail or password is not right.")
    await throttle.login_succeeded(email, client_address)
    return row["id"]


async def log_in(
    settings: Settings, *, email: str, password: str, device_name: str, client_address: str
) -> tuple[str, dict[str, Any], dict[str, Any]] | SecondFactorChallenge:
    """Check the password (:func:`check_credentials`) and open a session, or, when the account
    has a confirmed second factor, a challenge that :func:`cpl.accounts.second_factor.complete_sign_in`
    turns into a session once the code is right: the password alone never opens one."""
    account = await check_credentials(settings, email=email, password=password, client_address=client_address)
    if await second_factor_repository.is_confirmed(account):
        token, expires_at = await second_factor_repository.open_challenge(
            account, device_name, client_address, settings.sign_in_challenge_ttl
        )
        return SecondFactorChallenge(token, expires_at)
    token, session = await start_session(settings, account, device_name=device_name, client_address=client_address)
    return token, session, await get_account(account)


async def account_id_by_email(email: str) -> UUID | None:
    row = await Account.select(Account.id).where(Account.email == email).first()
    return row["id"] if row else None


async def password_matches(settings: Settings, account_id: UUID, password: str) -> bool:
    """Whether this is the account's password (asked again before turning the second factor off)."""
    row = await Account.select(Account.password_hash).where(Account.id == account_id).first()
    return await passwords.verify_password(settings, row["password_hash"] if row else None, password)


#: Plain SQL: every request runs it, and Piccolo's builder rebuilt this joined select each time.
_SESSION_BY_TOKEN = Sql(
    "SELECT s.id, s.last_used_at, s.expires_at, a.id AS account_id, a.email, a.display_name, a.is_admin "
    "FROM auth_session s JOIN account a ON a.id = s.account "
    "WHERE s.token_hash = {} AND s.revoked_at IS NULL AND s.expires_at > {}"
)


async def authenticate(settings: Settings, sessions: SessionCache, token: str) -> Principal:
    """Resolve a bearer token to its account, or refuse it (unknown, revoked or expired)."""
    token_hash = _token_hash(token)
    now = clock.now()
    cached = sessions.get(token_hash, now)
    if cached is not None:
        return cached
    generation = sessions.generation
    rows = await _SESSION_BY_TOKEN.rows(token_hash, now)
    if not rows:
        raise NotAuthenticated("The bearer token is invalid, expired or revoked; sign in again.")
    row = rows[0]
    last_used_at = row["last_used_at"]
    if now - last_used_at > settings.token_touch_interval:
        await AuthSession.update({AuthSession.last_used_at: now}).where(AuthSession.id == row["id"])
        last_used_at = now
    principal = Principal(
        account_id=row["account_id"],
        email=row["email"],
        display_name=row["display_name"],
        is_admin=row["is_admin"],
        session_id=row["id"],
    )
    good_until = min(row["expires_at"], last_used_at + settings.token_touch_interval)
    sessions.put(token_hash, principal, good_until, generation)
    return principal


async def list_sessions(account_id: UUID) -> list[dict[str, Any]]:
    """The account's live sessions (one per signed-in device), newest first."""
    return (
        await AuthSession.select(
            AuthSession.id,
            AuthSession.device_name,
            AuthSession.created_at,
            AuthSession.last_used_at,
            AuthSession.expires_at,
        )
        .where(
            (AuthSession.account == account_id)
            & AuthSession.revoked_at.is_null()
            & (AuthSession.expires_at > clock.now())
        )
        .order_by(AuthSession.created_at, ascending=False)
    )


async def revoke_session(sessions: SessionCache, account_id: UUID, session_id: UUID) -> None:
    """End one of the account's sessions; another account's session is simply not found.

    Every cpl process stops accepting its token: this one at once, the others when they
    hear of it (:mod:`cpl.accounts.session_cache`).
    """
    async with write_transaction():
        revoked = await (
            AuthSession.update({AuthSession.revoked_at: clock.now()})
            .where(
                (AuthSession.id == session_id) & (AuthSession.account == account_id) & AuthSession.revoked_at.is_null()
            )
            .returning(AuthSession.id)
        )
        if not revoked:
            raise NotFound("No such session.")
        await announce_revoked(session_id)
    sessions.forget(session_id)


async def revoke_all_sessions(account_id: UUID, *, keep: UUID | None = None) -> list[UUID]:
    """End every session of the account but ``keep`` (a changed or reset password signs every
    other device out: OWASP Session Management Cheat Sheet), in the caller's transaction; every
    cpl process hears of each as of a single revocation. The caller passes the ids to
    :func:`forget_sessions` once the transaction has committed (forgotten earlier, a lookup
    in between could cache a token that is about to end)."""
    where = (AuthSession.account == account_id) & AuthSession.revoked_at.is_null()
    if keep is not None:
        where = where & (AuthSession.id != keep)
    revoked = await AuthSession.update({AuthSession.revoked_at: clock.now()}).where(where).returning(AuthSession.id)
    for row in revoked:
        await announce_revoked(row["id"])
    return [row["id"] for row in revoked]


def forget_sessions(sessions: SessionCache, ids: list[UUID]) -> None:
    for session_id in ids:
        sessions.forget(session_id)


async def verified_account_ids(emails: list[str]) -> dict[str, UUID]:
    """Address → account, for those of these addresses an account has confirmed (reminders of audit
    requests reach only the owner of the mailbox asked, as the request list does)."""
    if not emails:
        return {}
    rows = await Account.select(Account.id, Account.email).where(
        Account.email.is_in(emails) & Account.email_verified_at.is_not_null()
    )
    return {row["email"]: row["id"] for row in rows}
