"""Sign-in and sign-up throttles, per account e-mail and per client address (OWASP ASVS V6.3.1).

Every attempt is counted before the password is checked or hashed (:mod:`cpl.throttling`),
so parallel attempts cannot slip past the limit together. Unknown e-mails are counted exactly
like known ones, so the throttle never reveals whether an address has an account.

- Sign-in: ``login_failures_per_account`` attempts per e-mail and ``login_failures_per_address``
  per client address inside ``login_window``. A successful sign-in clears the e-mail's count
  and gives its attempt back to the address.
- Sign-up: ``signup_attempts_per_email`` per e-mail address (so nobody can flood one address's
  owner with mail, or probe it) and ``signup_attempts_per_address`` per client address inside
  ``signup_window``. Sign-ups that succeed still count: making accounts is what is limited.
"""

from __future__ import annotations

from cpl import throttling
from cpl.settings import Settings

LOGIN_REFUSED = "Too many sign-in attempts. Wait a while, then try again."
SIGNUP_REFUSED = "Too many sign-ups from here or for this e-mail address. Wait a while, then try again."


def _login_subjects(email: str, address: str) -> tuple[str, str]:
    return f"login-account:{email}", f"login-address:{address}"


async def count_login_attempt(settings: Settings, email: str, address: str) -> None:
    """Count a sign-in attempt against the e-mail and the client address; 429 when either is spent."""
    account_subject, address_subject = _login_subjects(email, address)
    for subject, limit in (
        (account_subject, settings.login_failures_per_account),
        (address_subject, settings.login_failures_per_address),
    ):
        await throttling.count_attempt(subject, limit=limit, window=settings.login_window, detail=LOGIN_REFUSED)


async def login_succeeded(email: str, address: str) -> None:
    """A good password clears the e-mail's count; the address gets this attempt back."""
    account_subject, address_subject = _login_subjects(email, address)
    await throttling.forget(account_subject)
    await throttling.give_back(address_subject)


async def count_signup_attempt(settings: Settings, email: str, address: str) -> None:
    """Count a sign-up against the e-mail address asked for and the client address; 429 when either is spent."""
    for subject, limit in (
        (f"signup-email:{email}", settings.signup_attempts_per_email),
        (f"signup-address:{address}", settings.signup_attempts_per_address),
    ):
        await throttling.count_attempt(subject, limit=limit, window=settings.signup_window, detail=SIGNUP_REFUSED)


async def forget_address(email: str) -> None:
    """The address's sign-in and sign-up counts go (the subjects name it); erasure calls this."""
    for subject in (f"login-account:{email}", f"signup-email:{email}"):
        await throttling.forget(subject)
