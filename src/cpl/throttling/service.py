"""Throttles that hold under concurrency: an attempt is counted *before* it is checked.

Counting only failures after the check let 40 parallel wrong passwords all be checked (each
read the same count, under the limit). Here each attempt first takes its place in the
subject's counter with one atomic statement (:mod:`cpl.throttling.repository`), and only
attempts within the budget go on to the password or passcode check, however many arrive at
once and however many server processes share the database. A good attempt is then given back.

Two kinds of budget (OWASP ASVS V6.3.1, "Authentication Cheat Sheet: login throttling"):

- **Counted**: at most ``limit`` attempts per ``window`` from the first one; the rest answer
  429 with ``Retry-After`` until the window ends.
- **Spaced**: a few attempts free, then a delay that doubles after each further one, up to
  ``max_delay`` (exponential backoff). Only one attempt of a subject is checked at a time:
  a claim holds later ones off until its outcome sets the next time allowed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from cpl.errors import TooManyAttempts
from cpl.kernel import clock
from cpl.throttling import repository

#: How long a spaced claim holds other attempts off if its outcome is never told (a crash).
CLAIM_HOLD = timedelta(minutes=5)


def _refused(detail: str, until: float, now: float) -> TooManyAttempts:
    return TooManyAttempts(detail, headers={"Retry-After": str(max(1, math.ceil(until - now)))})


async def count_attempt(subject: str, *, limit: int, window: timedelta, detail: str) -> None:
    """Count an attempt against ``subject``; refuse it (429) when it is over ``limit`` in the window."""
    now = clock.now().timestamp()
    attempts, window_ends = await repository.count_attempt(subject, now, window.total_seconds())
    if attempts > limit:
        # Another request may have started the window a moment "after" this one read the clock.
        raise _refused(detail, min(window_ends, now + window.total_seconds()), now)


async def give_back(subject: str) -> None:
    """The attempt was a good one: it no longer counts against the subject."""
    await repository.give_back(subject)


async def forget(subject: str) -> None:
    """Start the subject afresh (a successful sign-in clears its account's count)."""
    await repository.forget(subject)


@dataclass(frozen=True)
class Spacing:
    """``free`` attempts, then delays of ``first_delay``, twice that, … up to ``max_delay``."""

    free: int
    first_delay: timedelta
    max_delay: timedelta
    #: The count starts again this long after a subject's first attempt.
    window: timedelta

    def delay_after(self, attempt: int) -> float:
        """Seconds to wait after the ``attempt``-th attempt in the window failed."""
        if attempt < self.free:
            return 0.0
        steps = attempt - self.free
        first, longest = self.first_delay.total_seconds(), self.max_delay.total_seconds()
        return longest if steps >= 64 else min(longest, first * 2**steps)


@dataclass(frozen=True)
class SpacedAttempt:
    """A claimed attempt; tell it how the check went, so the next one is allowed when it should be."""

    subject: str
    number: int
    spacing: Spacing

    async def failed(self) -> None:
        await repository.set_next_attempt_at(
            self.subject, clock.now().timestamp() + self.spacing.delay_after(self.number)
        )

    async def succeeded(self) -> None:
        await repository.forget(self.subject)

    async def not_checked(self) -> None:
        """The attempt was refused before its check (another budget): it sets no delay."""
        await repository.set_next_attempt_at(self.subject, clock.now().timestamp())


async def claim_spaced_attempt(subject: str, spacing: Spacing, *, detail: str) -> SpacedAttempt:
    """Claim the subject's next attempt, or refuse (429, ``Retry-After``) while it must wait."""
    now = clock.now().timestamp()
    hold_until = now + max(CLAIM_HOLD, spacing.max_delay).total_seconds()
    number = await repository.claim_attempt(subject, now, spacing.window.total_seconds(), hold_until)
    if number is None:
        until = await repository.next_attempt_at(subject) or now
        if until > now + spacing.max_delay.total_seconds():
            until = now + 1  # held by an attempt being checked right now, not by a delay
        raise _refused(detail, until, now)
    return SpacedAttempt(subject, number, spacing)
