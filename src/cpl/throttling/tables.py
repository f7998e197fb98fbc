"""Attempt counters: one row per throttled subject (an account's e-mail, a client address, a share link…)."""

from __future__ import annotations

from piccolo.columns import DoublePrecision, Integer, Varchar
from piccolo.table import Table


class AttemptCounter(Table, tablename="attempt_counter"):
    """Attempts one subject made in its current window, counted before the attempt is checked.

    Times are seconds since the Unix epoch (not timestamps) so that one ``INSERT … ON CONFLICT
    DO UPDATE`` can compare and add them alike on SQLite and PostgreSQL.
    """

    #: What is throttled, e.g. ``login-account:ann@example.org`` or ``passcode-client:<link>:<ip>``.
    subject = Varchar(length=400, primary_key=True)
    #: Attempts taken since the window started (refused ones included for counted subjects).
    attempts = Integer(default=0)
    #: When the count starts again from zero; rows past it are garbage.
    window_ends = DoublePrecision(index=True)
    #: Spaced subjects only: no attempt is taken before this time.
    next_at = DoublePrecision(default=0.0)
