"""Checking a share link's passcode, throttled per link *and* per client address.

The rule (OWASP ASVS V6.3.1; Authentication Cheat Sheet, "Login throttling"), and why:

- **Per link and client address, growing delays.** Each address gets
  ``share_passcode_free_attempts`` tries, then must wait ``share_passcode_first_delay``, twice
  that after the next wrong one, and so on up to ``share_passcode_max_delay`` (429 with
  ``Retry-After`` meanwhile). Only one passcode per link and address is checked at a time, so
  parallel guesses from one address are refused, not checked. A right passcode clears the
  address's delays.
- **Per link, a generous ceiling.** ``share_passcode_attempts_per_link`` tries in a
  ``share_passcode_window`` from all addresses together, against guessers spread over many
  addresses. It is set well above what one address can try in that time with the delays
  above (:meth:`cpl.settings.Settings.passcode_attempts_one_address_can_make`; settings
  that break this are refused at start-up), so a guesser at one address slows only
  themself: the recipient, elsewhere, still gets in at once. The old single per-link count
  let any stranger with the link lock the recipient out with five wrong guesses.
- Every try is counted before the passcode is checked (:mod:`cpl.throttling`), so 40 at
  once get no more checks than the budget allows.
"""

from __future__ import annotations

from typing import Any

from cpl import throttling
from cpl.accounts.passwords import verify_password
from cpl.errors import PasscodeRefused
from cpl.settings import Settings

REFUSED = "Too many passcode attempts; wait, then try again."


def _spacing(settings: Settings) -> throttling.Spacing:
    return throttling.Spacing(
        free=settings.share_passcode_free_attempts,
        first_delay=settings.share_passcode_first_delay,
        max_delay=settings.share_passcode_max_delay,
        window=settings.share_passcode_window,
    )


async def check_passcode(settings: Settings, share: dict[str, Any], passcode: str, address: str) -> None:
    """Pass if ``passcode`` opens the link; 429 while the throttle holds, 403 when it is wrong."""
    link_subject = f"passcode-link:{share['id']}"
    attempt = await throttling.claim_spaced_attempt(
        f"passcode-client:{share['id']}:{address}", _spacing(settings), detail=REFUSED
    )
    try:
        await throttling.count_attempt(
            link_subject,
            limit=settings.share_passcode_attempts_per_link,
            window=settings.share_passcode_window,
            detail=REFUSED,
        )
        right = await verify_password(settings, share["passcode_hash"], passcode)
    except BaseException:
        await attempt.not_checked()
        raise
    if not right:
        await attempt.failed()
        raise PasscodeRefused("The passcode is wrong.")
    await attempt.succeeded()
    await throttling.give_back(link_subject)
