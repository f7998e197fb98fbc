"""The second factor: a TOTP authenticator app with recovery codes (issue 14, item 3).

Rules:

- Anyone may turn it on; organisation admins and supervisors must, before they administer an
  organisation or take a reviewer's decision (verify, ask for changes): those act only from a
  session opened with it (:func:`require_second_factor`). Workers may use it or not.
- Enrolling makes a secret on the server and shows it once (key URI and QR code); it counts only
  after a code from it is confirmed. Confirming shows ten recovery codes once and marks the
  confirming session as opened with the second factor. An account with a confirmed authenticator
  enrols another only after turning it off.
- Once confirmed, a right password alone opens no session: the login answers with a challenge,
  and the session opens when a code (or an unused recovery code) is sent with it.
- A code is good for its 30-second step and one step either side, once: a step used (or an
  earlier one) is refused (RFC 6238 §5.2). A recovery code is good once.
- Every code attempt (sign-in, confirming, new recovery codes, turning off) is counted per
  account before it is checked; past ``second_factor_failures`` in ``second_factor_window``
  the answer is 429 and no code is checked.
- Turning it off needs the password and a code (or a recovery code); afterwards no session of
  the account counts as opened with a second factor.
"""

from __future__ import annotations

import base64
from typing import Any
from uuid import UUID

import anyio.to_thread

from cpl import throttling
from cpl.accounts import second_factor_repository as repository
from cpl.accounts import service, totp
from cpl.accounts.second_factor_schemas import EnrolmentOut, SecondFactorOut, SecondFactorProofIn
from cpl.db import write_transaction
from cpl.errors import (
    Conflict,
    CplError,
    NotAuthenticated,
    NotFound,
    SecondFactorRequired,
    invalid_field,
)
from cpl.kernel import clock
from cpl.kernel.principal import Principal
from cpl.settings import Settings


async def status(caller: Principal) -> SecondFactorOut:
    row = await repository.authenticator(caller.account_id)
    confirmed_at = row["confirmed_at"] if row else None
    return SecondFactorOut(
        enabled=confirmed_at is not None,
        pending=row is not None and confirmed_at is None,
        confirmed_at=confirmed_at,
        recovery_codes_left=await repository.recovery_codes_left(caller.account_id) if confirmed_at else 0,
        this_session=confirmed_at is not None and await service.session_has_second_factor(caller.session_id),
    )


async def enrol(settings: Settings, caller: Principal) -> EnrolmentOut:
    """A new secret, in force once confirmed (a pending one is replaced)."""
    if await repository.is_confirmed(caller.account_id):
        raise Conflict("A second factor is already on; turn it off (password and code) before enrolling another.")
    secret = totp.new_secret()
    uri = totp.key_uri(secret, caller.email, settings.service_name)
    png = await anyio.to_thread.run_sync(totp.qr_code_png, uri)
    async with write_transaction():
        await repository.replace_pending(caller.account_id, totp.seal(settings, secret))
    qr_code = "data:image/png;base64," + base64.b64encode(png).decode()
    return EnrolmentOut(secret=secret, otpauth_uri=uri, qr_code=qr_code)


def _attempts_of(account: UUID) -> str:
    return f"second-factor:{account}"


async def _count_attempt(settings: Settings, account: UUID) -> None:
    """Count a code attempt before the code is checked (``second_factor_failures`` in
    ``second_factor_window``; 429 with ``Retry-After`` beyond), atomically like every throttle."""
    await throttling.count_attempt(
        _attempts_of(account),
        limit=settings.second_factor_failures,
        window=settings.second_factor_window,
        detail="Too many wrong codes. Wait a while, then try again.",
    )


async def confirm(settings: Settings, caller: Principal, code: str) -> list[str]:
    """Put the pending authenticator in force with one of its codes; returns the recovery codes (shown once)."""
    row = await repository.authenticator(caller.account_id)
    if row is None:
        raise Conflict("Enrol an authenticator first (POST /v1/me/second-factor).")
    if row["confirmed_at"] is not None:
        raise Conflict("The second factor is already on.")
    await _count_attempt(settings, caller.account_id)
    step = totp.matching_step(totp.unseal(settings, row["secret"]), code, clock.now())
    if step is None:
        raise invalid_field("code", "not a current code of the authenticator app")
    codes = totp.new_recovery_codes()
    async with write_transaction():
        if not await repository.confirm(caller.account_id, step):
            raise Conflict("The second factor is already on.")
        await repository.replace_recovery_codes(caller.account_id, [totp.recovery_code_hash(code) for code in codes])
        await service.mark_session_second_factor(caller.session_id)
    await throttling.forget(_attempts_of(caller.account_id))
    return codes


async def _prove(
    settings: Settings, account: UUID, proof: SecondFactorProofIn, wrong: CplError, *, counted: bool = False
) -> None:
    """Accept a code or a recovery code once, after counting the attempt (unless the caller
    ``counted`` it already); raise ``wrong`` if it is not right."""
    if not counted:
        await _count_attempt(settings, account)
    if proof.code is not None:
        row = await repository.authenticator(account)
        step = totp.matching_step(totp.unseal(settings, row["secret"]), proof.code, clock.now()) if row else None
        accepted = step is not None and await repository.use_step(account, step)
    else:
        accepted = await repository.use_recovery_code(account, totp.recovery_code_hash(proof.recovery_code or ""))
    if not accepted:
        raise wrong
    await throttling.forget(_attempts_of(account))


def _wrong_proof(proof: SecondFactorProofIn) -> CplError:
    if proof.code is not None:
        return invalid_field("code", "not a current code of the authenticator app, or already used")
    return invalid_field("recovery_code", "not one of your unused recovery codes")


async def prove(settings: Settings, account: UUID, proof: SecondFactorProofIn) -> None:
    """A code or a recovery code, counted against the second factor's throttle (asked before erasure)."""
    await _prove(settings, account, proof, _wrong_proof(proof))


async def _require_enabled(account: UUID) -> None:
    if not await repository.is_confirmed(account):
        raise NotFound("No second factor is on for this account.")


async def new_recovery_codes(settings: Settings, caller: Principal, proof: SecondFactorProofIn) -> list[str]:
    """Ten new recovery codes (shown once); the old ones stop working."""
    await _require_enabled(caller.account_id)
    await _prove(settings, caller.account_id, proof, _wrong_proof(proof))
    codes = totp.new_recovery_codes()
    async with write_transaction():
        await repository.replace_recovery_codes(caller.account_id, [totp.recovery_code_hash(code) for code in codes])
    return codes


async def disable(settings: Settings, caller: Principal, password: str, proof: SecondFactorProofIn) -> None:
    """Turn the second factor off: the password and a code (or a recovery code) are both needed."""
    await _require_enabled(caller.account_id)
    await _count_attempt(settings, caller.account_id)
    if not await service.password_matches(settings, caller.account_id, password):
        raise invalid_field("password", "not this account's password")
    await _prove(settings, caller.account_id, proof, _wrong_proof(proof), counted=True)
    async with write_transaction():
        await repository.remove(caller.account_id)
        await service.unmark_sessions_second_factor(caller.account_id)


async def reset(email: str) -> None:
    """An operator turns a person's second factor off (``cpl users reset-second-factor``), for someone
    who lost both the authenticator and the recovery codes and proved who they are another way."""
    account = await service.account_id_by_email(email)
    if account is None:
        raise NotFound("No account with this e-mail.")
    await _require_enabled(account)
    async with write_transaction():
        await repository.remove(account)
        await service.unmark_sessions_second_factor(account)


async def complete_sign_in(
    settings: Settings, challenge: str, proof: SecondFactorProofIn
) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """The sign-in's second step: the challenge from the login and a code open the session."""
    row = await repository.live_challenge(challenge)
    if row is None:
        raise NotAuthenticated("This sign-in has expired or was already used; sign in again with your password.")
    await _prove(settings, row["account"], proof, NotAuthenticated("The code is not right, or was already used."))
    async with write_transaction():
        if not await repository.spend_challenge(row["id"]):
            raise NotAuthenticated("This sign-in was already used; sign in again with your password.")
        token, session = await service.start_session(
            settings,
            row["account"],
            device_name=row["device_name"],
            client_address=row["client_address"],
            second_factor=True,
        )
    return token, session, await service.get_account(row["account"])


async def require_second_factor(caller: Principal) -> None:
    """Refuse (403, problem type ``urn:cpl:problem:second-factor-required``) unless the caller's
    account has a confirmed second factor and this session was opened (or confirmed) with it."""
    if not await repository.is_confirmed(caller.account_id):
        raise SecondFactorRequired(
            "Organisation admins and reviewers need a second factor: set up an authenticator app "
            "(POST /v1/me/second-factor), then try again."
        )
    if not await service.session_has_second_factor(caller.session_id):
        raise SecondFactorRequired(
            "This session was opened without your second factor: sign in again with your code, then try again."
        )
