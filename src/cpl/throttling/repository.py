"""Every statement on ``attempt_counter``.

Raw SQL, reason 1 (the builder cannot express it): ``INSERT … ON CONFLICT … DO UPDATE …
[WHERE …] RETURNING``. One statement counts an attempt and answers the new count, so two
requests, or two server processes, can never both read the same count and both go on: the
row is locked by PostgreSQL's upsert and by SQLite's single writer for the whole statement.
"""

from __future__ import annotations

from cpl.db import Sql

_COUNT = Sql(
    "INSERT INTO attempt_counter (subject, attempts, window_ends, next_at) VALUES ({}, 1, {}, 0) "
    "ON CONFLICT (subject) DO UPDATE SET "
    "attempts = CASE WHEN attempt_counter.window_ends <= {} THEN 1 ELSE attempt_counter.attempts + 1 END, "
    "window_ends = CASE WHEN attempt_counter.window_ends <= {} THEN {} ELSE attempt_counter.window_ends END "
    "RETURNING attempts, window_ends"
)

_CLAIM = Sql(
    "INSERT INTO attempt_counter (subject, attempts, window_ends, next_at) VALUES ({}, 1, {}, {}) "
    "ON CONFLICT (subject) DO UPDATE SET "
    "attempts = CASE WHEN attempt_counter.window_ends <= {} THEN 1 ELSE attempt_counter.attempts + 1 END, "
    "window_ends = CASE WHEN attempt_counter.window_ends <= {} THEN {} ELSE attempt_counter.window_ends END, "
    "next_at = {} "
    "WHERE attempt_counter.next_at <= {} "
    "RETURNING attempts"
)

_NEXT_AT = Sql("SELECT next_at FROM attempt_counter WHERE subject = {}")
_SET_NEXT_AT = Sql("UPDATE attempt_counter SET next_at = {} WHERE subject = {}")
_GIVE_BACK = Sql("UPDATE attempt_counter SET attempts = attempts - 1 WHERE subject = {} AND attempts > 0")
_FORGET = Sql("DELETE FROM attempt_counter WHERE subject = {}")
_DROP_AGED = Sql("DELETE FROM attempt_counter WHERE window_ends <= {}")


async def count_attempt(subject: str, now: float, window: float) -> tuple[int, float]:
    """Count one attempt; the attempts in the window so far (this one included) and when the window ends."""
    await _DROP_AGED.rows(now)
    row = (await _COUNT.rows(subject, now + window, now, now, now + window))[0]
    return row["attempts"], row["window_ends"]


async def claim_attempt(subject: str, now: float, window: float, hold_until: float) -> int | None:
    """Take an attempt if none is due to wait, holding later ones off until ``hold_until``.

    Returns the attempt's number in the window, or None when the subject must still wait.
    """
    await _DROP_AGED.rows(now)
    rows = await _CLAIM.rows(subject, now + window, hold_until, now, now, now + window, hold_until, now)
    return rows[0]["attempts"] if rows else None


async def next_attempt_at(subject: str) -> float | None:
    rows = await _NEXT_AT.rows(subject)
    return rows[0]["next_at"] if rows else None


async def set_next_attempt_at(subject: str, at: float) -> None:
    await _SET_NEXT_AT.rows(at, subject)


async def give_back(subject: str) -> None:
    """Uncount one attempt (it turned out to be a good one)."""
    await _GIVE_BACK.rows(subject)


async def forget(subject: str) -> None:
    await _FORGET.rows(subject)
