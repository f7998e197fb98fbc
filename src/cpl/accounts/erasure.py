"""Closing an account for erasure, and what the accounts domain erases (GDPR Art. 17).

Rules:
- Erasure is asked for with the password, the second factor's code (or a recovery code)
  when one is on, and an explicit confirmation; wrong ones count against the sign-in throttle.
- Closing takes effect at once: every session ends and the password can no longer match, so
  nobody can sign in while the erasure job runs.
- The account row is kept, emptied: its id, an address at ``erased.invalid`` that no mail can
  reach, no name, no password, no second factor. Verifications and review comments this
  person gave on other workers' records point at it (they keep the name as it was given).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from cpl.accounts import second_factor, second_factor_repository
from cpl.accounts.events import AccountErased
from cpl.accounts.recovery import check_password
from cpl.accounts.second_factor_schemas import SecondFactorProofIn
from cpl.accounts.second_factor_tables import RecoveryCode, SecondFactor, SignInChallenge
from cpl.accounts.service import forget_sessions, revoke_all_sessions
from cpl.accounts.session_cache import SessionCache
from cpl.accounts.tables import Account, AccountErasure, AuthSession, EmailLink
from cpl.accounts.throttle import forget_address
from cpl.db import write_transaction
from cpl.errors import NotFound, invalid_field
from cpl.kernel import clock
from cpl.kernel.principal import Principal
from cpl.mail import forget_mail_to
from cpl.settings import Settings

#: What the person types to confirm; anything else is refused (422 naming ``confirm``).
CONFIRMATION = "erase my account"

#: Never a valid argon2 hash: no password matches it.
CLOSED_PASSWORD = "!closed"


def erased_address(account_id: UUID) -> str:
    """The address an erased account keeps (unique, and ``.invalid`` never delivers: RFC 2606)."""
    return f"erased-{account_id}@erased.invalid"


async def check_identity(
    settings: Settings, caller: Principal, password: str, proof: SecondFactorProofIn | None, client_address: str
) -> None:
    """The caller's password and, when their second factor is on, a current code or a recovery code."""
    await check_password(settings, caller, password, client_address)
    if not await second_factor_repository.is_confirmed(caller.account_id):
        return
    if proof is None:
        raise invalid_field("code", "your second factor is on: give a code from your app, or a recovery code")
    await second_factor.prove(settings, caller.account_id, proof)


async def request_erasure(
    settings: Settings,
    sessions: SessionCache,
    caller: Principal,
    *,
    password: str,
    proof: SecondFactorProofIn | None,
    confirm: str,
    client_address: str,
) -> dict[str, Any]:
    """Close the caller's account at once (sessions ended, no password matches) and queue its
    erasure for the privacy job (``cpl.privacy.erasure``); returns the erasure's status."""
    if confirm != CONFIRMATION:
        raise invalid_field("confirm", f'type "{CONFIRMATION}" to confirm that the account is to be erased')
    await check_identity(settings, caller, password, proof, client_address)
    erasure = AccountErasure(
        id=uuid4(), account=caller.account_id, email=caller.email, status="queued", requested_at=clock.now()
    )
    async with write_transaction():
        await Account.update({Account.password_hash: CLOSED_PASSWORD}).where(Account.id == caller.account_id)
        ended = await revoke_all_sessions(caller.account_id)
        await AccountErasure.insert(erasure)
    forget_sessions(sessions, ended)
    return await erasure_status(erasure.id)


async def erasure_status(erasure_id: UUID) -> dict[str, Any]:
    row = (
        await AccountErasure.select(
            AccountErasure.id, AccountErasure.status, AccountErasure.requested_at, AccountErasure.finished_at
        )
        .where(AccountErasure.id == erasure_id)
        .first()
    )
    if row is None:
        raise NotFound("No erasure with this id.")
    return row


async def unfinished_erasures() -> list[UUID]:
    rows = (
        await AccountErasure.select(AccountErasure.id)
        .where(AccountErasure.status.is_in(["queued", "files"]))
        .order_by(AccountErasure.requested_at)
    )
    return [row["id"] for row in rows]


async def claim_erasure(erasure_id: UUID) -> AccountErased | None:
    """In the caller's transaction: move a queued erasure on to ``files``, forgetting the address,
    and return the event to publish; ``None`` when it is not queued (done, or another process has it)."""
    row = await AccountErasure.select().where(AccountErasure.id == erasure_id).first()
    if row is None or row["status"] != "queued":
        return None
    claimed = (
        await AccountErasure.update({AccountErasure.status: "files", AccountErasure.email: ""})
        .where((AccountErasure.id == erasure_id) & (AccountErasure.status == "queued"))
        .returning(AccountErasure.id)
    )
    return AccountErased(account_id=row["account"], email=row["email"]) if claimed else None


async def finish_erasure(erasure_id: UUID) -> None:
    await AccountErasure.update({AccountErasure.status: "done", AccountErasure.finished_at: clock.now()}).where(
        (AccountErasure.id == erasure_id) & (AccountErasure.status == "files")
    )


async def forget_account(erased: AccountErased) -> None:
    """Sessions, mailed links, the second factor, mail not yet sent to the address, the sign-in
    throttle's counts for it, and the account's name and address go."""
    account = erased.account_id
    await AuthSession.delete().where(AuthSession.account == account)
    await SignInChallenge.delete().where(SignInChallenge.account == account)
    await RecoveryCode.delete().where(RecoveryCode.account == account)
    await SecondFactor.delete().where(SecondFactor.account == account)
    await EmailLink.delete().where(EmailLink.account == account)
    if erased.email:
        await EmailLink.delete().where(EmailLink.email == erased.email)
        await forget_mail_to(erased.email)
        await forget_address(erased.email)
    await Account.update(
        {
            Account.email: erased_address(account),
            Account.display_name: "",
            Account.password_hash: CLOSED_PASSWORD,
            Account.credential_subject: None,
            Account.email_verified_at: None,
        }
    ).where(Account.id == account)


async def account_data(account_id: UUID) -> list[dict[str, Any]]:
    """The account, for the person's copy of their data (no password hash)."""
    return await Account.select(
        Account.id, Account.email, Account.display_name, Account.created_at, Account.email_verified_at, Account.is_admin
    ).where(Account.id == account_id)


async def session_data(account_id: UUID) -> list[dict[str, Any]]:
    """Every session of the account, ended ones too (no token hashes)."""
    return await AuthSession.select(
        AuthSession.id,
        AuthSession.device_name,
        AuthSession.client_address,
        AuthSession.created_at,
        AuthSession.last_used_at,
        AuthSession.expires_at,
        AuthSession.revoked_at,
    ).where(AuthSession.account == account_id)
