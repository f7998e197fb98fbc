"""Signing up, and confirming the address an account uses (issue 14, item 1).

Rules:
- Sign-up answers the same (202, the same body) whether or not the address has an account,
  after the same password hashing, and sends one mail either way: to a new address a link to
  confirm it; to a taken one a notice ("someone tried to sign up with your address; if it was
  you, sign in or reset your password"). Nothing in the answer, its status or its timing says
  which (OWASP Authentication Cheat Sheet, "Authentication and error messages").
- The new account is not signed in by sign-up; the person signs in with the password they
  chose (the app does so straight away) and may log evidence before confirming the address.
- A confirmation link sets the account's address as verified. A link made for a change of
  address moves the account to the new address as it does so, unless another account has
  taken that address meanwhile (409).
- Two sign-ups for one free address at once make one account: the one that loses the race on
  the unique address finds it taken when it tries again, and mails the owner like any other.
"""

from __future__ import annotations

import sqlite3
from uuid import UUID, uuid4

from asyncpg.exceptions import UniqueViolationError

from cpl.accounts import email_links, passwords
from cpl.accounts.tables import Account
from cpl.db import write_transaction
from cpl.errors import Conflict, TooManyAttempts
from cpl.kernel import clock
from cpl.mail import queue_mail, send_queued
from cpl.settings import Settings

CONFIRM_PATH = "/account/confirm-email"


async def queue_confirmation(settings: Settings, account: UUID, email: str, name: str, template: str) -> UUID:
    """A new confirmation link for ``email``, mailed with ``template`` (in the caller's transaction)."""
    token = await email_links.issue(email_links.CONFIRM_EMAIL, email, settings.email_verification_ttl, account=account)
    return await queue_mail(
        email,
        template,
        name=name,
        link=email_links.link_url(settings, CONFIRM_PATH, token),
        hours=int(settings.email_verification_ttl.total_seconds() // 3600),
        service=settings.service_name,
    )


async def sign_up(settings: Settings, *, email: str, password: str, display_name: str) -> None:
    """Make the account if the address is free, and mail the address either way (see the rules)."""
    password_hash = await passwords.hash_password(settings, password)
    try:
        mail = await _account_or_notice(settings, email, display_name, password_hash)
    except (UniqueViolationError, sqlite3.IntegrityError):  # a sign-up at the same moment took it
        mail = await _account_or_notice(settings, email, display_name, password_hash)
    await send_queued(settings, [mail])


async def _account_or_notice(settings: Settings, email: str, display_name: str, password_hash: str) -> UUID:
    """In one transaction: the new account and its confirmation mail, or the notice to the owner."""
    async with write_transaction():
        if await Account.exists().where(Account.email == email):
            return await queue_mail(
                email,
                "address_taken",
                service=settings.service_name,
                base=settings.public_base_url.rstrip("/"),
            )
        account_id = uuid4()
        account = Account(id=account_id, email=email, display_name=display_name, password_hash=password_hash)
        await Account.insert(account)
        return await queue_confirmation(settings, account_id, email, display_name, "confirm_signup")


async def resend_confirmation(settings: Settings, account_id: UUID) -> str:
    """Mail a fresh confirmation link to my (unverified) address; returns the address."""
    async with write_transaction():
        row = (
            await Account.select(Account.email, Account.display_name, Account.email_verified_at)
            .where(Account.id == account_id)
            .first()
        )
        if row["email_verified_at"] is not None:
            raise Conflict("Your e-mail address is already verified.")
        if not await email_links.may_send_to(settings, row["email"]):
            raise TooManyAttempts(
                "Several links have gone to this address in the last hour; wait a while, then ask again.",
                headers={"Retry-After": "3600"},
            )
        mail = await queue_confirmation(settings, account_id, row["email"], row["display_name"], "confirm_signup")
    await send_queued(settings, [mail])
    return row["email"]


async def confirm_email(token: str) -> str:
    """Follow a confirmation link: the address it was sent to is now the account's, verified."""
    async with write_transaction():
        link = await email_links.redeem(email_links.CONFIRM_EMAIL, token)
        if await Account.exists().where((Account.email == link["email"]) & (Account.id != link["account"])):
            raise Conflict("Another account has taken this address meanwhile; the address was not changed.")
        await Account.update({Account.email: link["email"], Account.email_verified_at: clock.now()}).where(
            Account.id == link["account"]
        )
    return link["email"]


async def address_to_confirm(token: str) -> str:
    """The address a confirmation link would verify (the link is not used up)."""
    return (await email_links.peek(email_links.CONFIRM_EMAIL, token))["email"]
