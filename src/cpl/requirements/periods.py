"""Which days a rule counts, when it falls due, and how far through that time a worker is.

Dates are calendar dates; months are calendar months, a day that a month lacks falling
back to the month's last day (31 January + 1 month = 28 or 29 February; 29 February 2024
+ 12 months = 28 February 2025).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from cpl.requirements.pack import CycleEnd, FixedDate, Rolling

ONE_DAY = timedelta(days=1)


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole calendar months (negative: back), kept within the month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@dataclass(frozen=True)
class Period:
    """The days a rule looks at: ``start``…``end`` inclusive, due on ``end``.

    ``continuous`` periods (a rolling window once the registration is old enough) end on
    the day asked about: the rule must hold every day, so there is no "on track".
    """

    start: date
    end: date
    continuous: bool = False

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def counted_until(self, as_of: date) -> date:
        """Evidence after ``as_of`` is not counted: progress is as it stood that day."""
        return min(self.end, as_of)

    def days_left(self, as_of: date) -> int:
        """Days still to come, ``as_of`` included (all of them before the start, none after the end)."""
        if as_of < self.start:
            return self.days
        return max(0, (self.end - as_of).days + 1)


def _cycle_period(deadline: CycleEnd, cycle_start: date, renewal_date: date, as_of: date) -> Period:
    """The registration's cycle, or the stretch of ``every_months`` within it holding ``as_of``.

    Stretches are counted from the cycle start (never from the previous stretch), so a
    31 January start gives periods ending 30 January each year, leap years included.
    """
    if deadline.every_months is None:
        return Period(cycle_start, renewal_date)
    step = 0
    while add_months(cycle_start, (step + 1) * deadline.every_months) <= as_of:
        step += 1
    start = add_months(cycle_start, step * deadline.every_months)
    return Period(start, add_months(cycle_start, (step + 1) * deadline.every_months) - ONE_DAY)


def _fixed_date_period(deadline: FixedDate, cycle_start: date, as_of: date) -> Period:
    """From the day after the last deadline to the next deadline on or after ``as_of``.

    An entry on the deadline day counts for the year ending that day; one the day after
    counts for the next year. A registration that began during the year counts from its
    cycle start.
    """
    due = date(as_of.year, deadline.month, deadline.day)
    if due < as_of:
        due = date(as_of.year + 1, deadline.month, deadline.day)
    start = date(due.year - 1, deadline.month, deadline.day) + ONE_DAY
    if start < cycle_start <= due:
        start = cycle_start
    return Period(start, due)


def _rolling_period(deadline: Rolling, cycle_start: date, as_of: date) -> Period:
    """The ``months`` months ending on ``as_of``; during a registration's first ``months``
    months, the time since the cycle start, due when those months are up."""
    start = add_months(as_of, -deadline.months) + ONE_DAY
    if start < cycle_start:
        return Period(cycle_start, add_months(cycle_start, deadline.months) - ONE_DAY)
    return Period(start, as_of, continuous=True)


def period_for(deadline: CycleEnd | FixedDate | Rolling, cycle_start: date, renewal_date: date, as_of: date) -> Period:
    """The period a rule with this deadline is judged over, as of ``as_of``."""
    if isinstance(deadline, CycleEnd):
        return _cycle_period(deadline, cycle_start, renewal_date, as_of)
    if isinstance(deadline, FixedDate):
        return _fixed_date_period(deadline, cycle_start, as_of)
    return _rolling_period(deadline, cycle_start, as_of)


MET, ON_TRACK, AT_RISK, NOT_MET = "met", "on_track", "at_risk", "not_met"


def status_of(required: int, achieved: int, period: Period, as_of: date) -> str:
    """Where a worker stands on one figure.

    - ``met``: achieved ≥ required.
    - ``not_met``: short of it and the period is over (``as_of`` after the due date), or
      the period is continuous (a rolling window that must hold every day).
    - ``at_risk``: short of it, the period still running, and the share still to do
      exceeds the share of time left: ``(required − achieved) / required >
      days_left / days`` with ``days_left`` counting ``as_of`` itself. Nothing done on the
      first day is on track; on the due day, more than one day's share still to do is at risk.
    - ``on_track``: short of it, with at least as much time left as work, proportionally.
    """
    if achieved >= required:
        return MET
    if period.continuous or as_of > period.end:
        return NOT_MET
    if (required - achieved) * period.days > period.days_left(as_of) * required:
        return AT_RISK
    return ON_TRACK
