"""Failed-login throttling, per account e-mail and per client address (OWASP ASVS V6.3.1).

Unknown e-mails are counted exactly like known ones, so the throttle never reveals
whether an address has an account.
"""

from __future__ import annotations

from cpl.accounts.tables import LoginFailure
from cpl.errors import TooManyAttempts
from cpl.kernel import clock
from cpl.settings import Settings


def _subjects(email: str, address: str) -> tuple[str, str]:
    return f"account:{email}", f"address:{address}"


async def ensure_login_allowed(settings: Settings, email: str, address: str) -> None:
    """Refuse a login attempt while either subject is over its failure budget."""
    since = clock.now() - settings.login_window
    account_subject, address_subject = _subjects(email, address)
    for subject, limit in (
        (account_subject, settings.login_failures_per_account),
        (address_subject, settings.login_failures_per_address),
    ):
        failures = await LoginFailure.count().where(
            (LoginFailure.subject == subject) & (LoginFailure.failed_at > since)
        )
        if failures >= limit:
            retry_after = int(settings.login_window.total_seconds())
            raise TooManyAttempts(
                "Too many failed sign-in attempts. Wait a while, then try again.",
                headers={"Retry-After": str(retry_after)},
            )


async def record_login_failure(settings: Settings, email: str, address: str) -> None:
    """Count a failure against both subjects, dropping failures that have aged out of the window."""
    cutoff = clock.now() - settings.login_window
    await LoginFailure.delete().where(LoginFailure.failed_at < cutoff)
    await LoginFailure.insert(*(LoginFailure(subject=subject) for subject in _subjects(email, address)))


async def forget_account_failures(email: str) -> None:
    """A successful login clears the account's count (the address keeps its own)."""
    account_subject, _ = _subjects(email, "")
    await LoginFailure.delete().where(LoginFailure.subject == account_subject)
