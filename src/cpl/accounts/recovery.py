"""Passwords: reset by e-mail, and changed by their owner (issue 14, item 1).

Rules (OWASP Forgot Password Cheat Sheet):
- Asking for a reset answers the same whether or not the address has an account; a link goes
  only to an address with one, at most ``email_links_per_address_per_hour`` an hour.
- The link works once, for ``password_reset_ttl``. Setting a new password through it signs
  every session of the account out, and marks the address verified (the link proved it).
- Changing one's password needs the current one, and signs out every session but the one
  making the change. A wrong current password counts as a failed sign-in.
"""

from __future__ import annotations

from uuid import UUID

from cpl.accounts import email_links, passwords, throttle
from cpl.accounts.service import forget_sessions, revoke_all_sessions
from cpl.accounts.session_cache import SessionCache
from cpl.accounts.tables import Account
from cpl.db import write_transaction
from cpl.errors import Gone, NotAllowed
from cpl.kernel import clock
from cpl.kernel.principal import Principal
from cpl.mail import queue_mail
from cpl.settings import Settings

RESET_PATH = "/account/reset-password"


async def request_reset(settings: Settings, email: str) -> list[UUID]:
    """Queue a reset link if the address has an account; returns the mail to send.

    The caller answers the same either way, and sends the mail after its answer (a background
    task), so the time the answer takes does not tell whether a mail went out either.
    """
    async with write_transaction():
        row = await Account.select(Account.id).where(Account.email == email).first()
        if row is None or not await email_links.may_send_to(settings, email):
            return []
        token = await email_links.issue(
            email_links.RESET_PASSWORD, email, settings.password_reset_ttl, account=row["id"]
        )
        mail = await queue_mail(
            email,
            "reset_password",
            link=email_links.link_url(settings, RESET_PATH, token),
            minutes=int(settings.password_reset_ttl.total_seconds() // 60),
            service=settings.service_name,
        )
    return [mail]


async def reset_address(token: str) -> str:
    """The address whose password a reset link would set (the link is not used up)."""
    return (await email_links.peek(email_links.RESET_PASSWORD, token))["email"]


async def reset_password(settings: Settings, sessions: SessionCache, token: str, new_password: str) -> None:
    password_hash = await passwords.hash_password(settings, new_password)
    async with write_transaction():
        link = await email_links.redeem(email_links.RESET_PASSWORD, token)
        account = (
            await Account.select(Account.email_verified_at)
            .where((Account.id == link["account"]) & (Account.email == link["email"]))
            .first()
        )
        if account is None:
            raise Gone("This link was sent to an address the account no longer uses. Ask for a new one.")
        await Account.update(
            {
                Account.password_hash: password_hash,
                Account.email_verified_at: account["email_verified_at"] or clock.now(),
            }
        ).where(Account.id == link["account"])
        ended = await revoke_all_sessions(link["account"])
    forget_sessions(sessions, ended)


async def check_password(settings: Settings, caller: Principal, password: str, client_address: str) -> None:
    """The caller's current password, counted against the sign-in throttle like a login."""
    await throttle.count_login_attempt(settings, caller.email, client_address)
    row = await Account.select(Account.password_hash).where(Account.id == caller.account_id).first()
    if not await passwords.verify_password(settings, row["password_hash"], password):
        raise NotAllowed("The current password is not right.")
    await throttle.login_succeeded(caller.email, client_address)


async def change_password(
    settings: Settings, sessions: SessionCache, caller: Principal, current: str, new: str, client_address: str
) -> None:
    await check_password(settings, caller, current, client_address)
    password_hash = await passwords.hash_password(settings, new)
    async with write_transaction():
        await Account.update({Account.password_hash: password_hash}).where(Account.id == caller.account_id)
        ended: list[UUID] = await revoke_all_sessions(caller.account_id, keep=caller.session_id)
    forget_sessions(sessions, ended)
