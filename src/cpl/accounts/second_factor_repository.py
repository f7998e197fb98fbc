"""Every statement on ``second_factor``, ``recovery_code`` and ``sign_in_challenge``."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from cpl.accounts.second_factor_tables import RecoveryCode, SecondFactor, SignInChallenge
from cpl.kernel import clock


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def authenticator(account: UUID) -> dict[str, Any] | None:
    """The account's authenticator, pending or confirmed."""
    return await SecondFactor.select().where(SecondFactor.account == account).first()


async def is_confirmed(account: UUID) -> bool:
    return await SecondFactor.exists().where(
        (SecondFactor.account == account) & SecondFactor.confirmed_at.is_not_null()
    )


async def replace_pending(account: UUID, sealed_secret: str) -> None:
    """Drop any unconfirmed authenticator and keep this one, unconfirmed; the caller holds the transaction."""
    await SecondFactor.delete().where((SecondFactor.account == account) & SecondFactor.confirmed_at.is_null())
    await SecondFactor.insert(SecondFactor(id=uuid4(), account=account, secret=sealed_secret))


async def confirm(account: UUID, step: int) -> bool:
    """Mark the pending authenticator confirmed by a code of ``step``; false if it was confirmed meanwhile."""
    confirmed = await (
        SecondFactor.update({SecondFactor.confirmed_at: clock.now(), SecondFactor.last_used_step: step})
        .where((SecondFactor.account == account) & SecondFactor.confirmed_at.is_null())
        .returning(SecondFactor.id)
    )
    return bool(confirmed)


async def use_step(account: UUID, step: int) -> bool:
    """Accept a code of ``step`` once: false if that step or a later one was already used (RFC 6238 §5.2)."""
    used = await (
        SecondFactor.update({SecondFactor.last_used_step: step})
        .where(
            (SecondFactor.account == account)
            & SecondFactor.confirmed_at.is_not_null()
            & (SecondFactor.last_used_step.is_null() | (SecondFactor.last_used_step < step))
        )
        .returning(SecondFactor.id)
    )
    return bool(used)


async def use_recovery_code(account: UUID, code_hash: str) -> bool:
    """Spend one unused recovery code; false if there is none with this hash."""
    unused = (RecoveryCode.account == account) & (RecoveryCode.code_hash == code_hash) & RecoveryCode.used_at.is_null()
    row = await RecoveryCode.select(RecoveryCode.id).where(unused).first()
    if row is None:
        return False
    spent = await (
        RecoveryCode.update({RecoveryCode.used_at: clock.now()})
        .where((RecoveryCode.id == row["id"]) & RecoveryCode.used_at.is_null())
        .returning(RecoveryCode.id)
    )
    return bool(spent)


async def replace_recovery_codes(account: UUID, code_hashes: list[str]) -> None:
    """The account's recovery codes become these (the old ones stop working); the caller holds the transaction."""
    await RecoveryCode.delete().where(RecoveryCode.account == account)
    await RecoveryCode.insert(*(RecoveryCode(id=uuid4(), account=account, code_hash=code) for code in code_hashes))


async def recovery_codes_left(account: UUID) -> int:
    return await RecoveryCode.count().where((RecoveryCode.account == account) & RecoveryCode.used_at.is_null())


async def remove(account: UUID) -> None:
    """Forget the authenticator and the recovery codes; the caller holds the transaction."""
    await SecondFactor.delete().where(SecondFactor.account == account)
    await RecoveryCode.delete().where(RecoveryCode.account == account)
    await SignInChallenge.delete().where(SignInChallenge.account == account)


async def open_challenge(account: UUID, device_name: str, client_address: str, ttl: timedelta) -> tuple[str, datetime]:
    """A sign-in waiting for its code: the token (shown once, only its hash kept) and when it expires.
    Expired challenges are swept on the way."""
    now = clock.now()
    token = secrets.token_urlsafe(32)
    expires_at = now + ttl
    await SignInChallenge.delete().where(SignInChallenge.expires_at <= now)
    await SignInChallenge.insert(
        SignInChallenge(
            id=uuid4(),
            token_hash=token_hash(token),
            account=account,
            device_name=device_name,
            client_address=client_address[:64],
            expires_at=expires_at,
        )
    )
    return token, expires_at


async def live_challenge(token: str) -> dict[str, Any] | None:
    """The challenge behind a token, unless unknown, expired or already used."""
    return (
        await SignInChallenge.select()
        .where(
            (SignInChallenge.token_hash == token_hash(token))
            & SignInChallenge.used_at.is_null()
            & (SignInChallenge.expires_at > clock.now())
        )
        .first()
    )


async def spend_challenge(challenge: UUID) -> bool:
    """Use the challenge up; false if a concurrent request used it first."""
    spent = await (
        SignInChallenge.update({SignInChallenge.used_at: clock.now()})
        .where((SignInChallenge.id == challenge) & SignInChallenge.used_at.is_null())
        .returning(SignInChallenge.id)
    )
    return bool(spent)
