"""The calendar rules the engine stands on: months, periods, statuses and gaps."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from cpl.evidence.summaries import Entry
from cpl.requirements.gaps import find_gaps
from cpl.requirements.pack import CycleEnd, FixedDate, Rolling
from cpl.requirements.periods import Period, add_months, period_for, status_of
from cpl.requirements.worker_record import Explanation


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2025, 2, 28), -12, date(2024, 2, 28)),
        (date(2023, 11, 30), 3, date(2024, 2, 29)),
        (date(2024, 12, 15), 1, date(2025, 1, 15)),
    ],
)
def test_months_keep_to_the_month(day, months, expected):
    assert add_months(day, months) == expected


def test_a_cycle_is_the_registration_or_each_year_of_it():
    start, renewal = date(2024, 2, 29), date(2029, 2, 28)
    assert period_for(CycleEnd(type="cycle_end"), start, renewal, date(2026, 1, 1)) == Period(start, renewal)
    yearly = CycleEnd(type="cycle_end", every_months=12)
    assert period_for(yearly, start, renewal, date(2024, 1, 1)) == Period(start, date(2025, 2, 27))
    assert period_for(yearly, start, renewal, date(2027, 2, 28)) == Period(date(2027, 2, 28), date(2028, 2, 28))
    assert period_for(yearly, start, renewal, date(2028, 2, 29)) == Period(date(2028, 2, 29), date(2029, 2, 27))


def test_a_fixed_date_closes_each_year_and_the_day_after_opens_the_next():
    deadline = FixedDate(type="fixed_date", month=11, day=30)
    start = date(2019, 12, 2)
    assert period_for(deadline, start, date(2030, 1, 1), date(2024, 11, 30)) == Period(
        date(2023, 12, 1), date(2024, 11, 30)
    )
    assert period_for(deadline, start, date(2030, 1, 1), date(2024, 12, 1)) == Period(
        date(2024, 12, 1), date(2025, 11, 30)
    )
    joined_mid_year = period_for(deadline, date(2024, 3, 4), date(2030, 1, 1), date(2024, 6, 1))
    assert joined_mid_year == Period(date(2024, 3, 4), date(2024, 11, 30))


def test_a_rolling_window_ends_today_once_the_registration_is_old_enough():
    deadline = Rolling(type="rolling", months=12)
    assert period_for(deadline, date(2020, 1, 1), date(2030, 1, 1), date(2024, 2, 29)) == Period(
        date(2023, 3, 1), date(2024, 2, 29), continuous=True
    )
    assert period_for(deadline, date(2024, 1, 1), date(2030, 1, 1), date(2024, 6, 1)) == Period(
        date(2024, 1, 1), date(2024, 12, 31)
    )


def test_status_compares_the_share_to_do_with_the_share_of_time_left():
    year = Period(date(2025, 1, 1), date(2025, 12, 31))  # 365 days
    assert status_of(10, 0, year, date(2025, 1, 1)) == "on_track"
    assert status_of(365, 0, year, date(2025, 1, 2)) == "at_risk"  # 365 to do, 364 days left
    assert status_of(365, 1, year, date(2025, 1, 2)) == "on_track"  # 364 to do, 364 days left
    assert status_of(2, 1, year, date(2025, 12, 31)) == "at_risk"
    assert status_of(2, 2, year, date(2026, 1, 1)) == "met"
    assert status_of(2, 1, year, date(2026, 1, 1)) == "not_met"
    assert status_of(2, 1, Period(year.start, year.end, continuous=True), year.end) == "not_met"


def _activity(day: date) -> Entry:
    return Entry(str(uuid.uuid4()), "learning_activity", "Course", day, day, 60, True, "course", False)


@pytest.mark.parametrize(
    ("next_day", "at_least", "flagged"),
    [
        (date(2024, 4, 15), True, True),
        (date(2024, 4, 15), False, False),
        (date(2024, 4, 16), False, True),
        (date(2024, 4, 14), True, False),
    ],
)
def test_exactly_n_months_is_a_gap_only_for_at_least_rules(next_day, at_least, flagged):
    period = Period(date(2024, 1, 15), date(2025, 1, 14))
    entries = [_activity(date(2024, 1, 15)), _activity(next_day)]
    gaps, _ = find_gaps(entries, period, next_day, 3, at_least, [])
    assert bool(gaps) is flagged


def test_explanations_must_leave_no_day_of_the_gap_out():
    period = Period(date(2024, 1, 1), date(2025, 12, 31))
    entries = [_activity(date(2024, 1, 1)), _activity(date(2024, 6, 1))]
    leave = Explanation(uuid.uuid4(), date(2024, 1, 2), date(2024, 3, 31), "Leave")
    rest = Explanation(uuid.uuid4(), date(2024, 4, 2), date(2024, 5, 31), "Illness")
    gaps, _ = find_gaps(entries, period, date(2024, 6, 1), 3, True, [leave, rest])
    assert not gaps[0].explained  # 1 April is not covered
    bridge = Explanation(uuid.uuid4(), date(2024, 4, 1), date(2024, 4, 1), "Training day cancelled")
    gaps, _ = find_gaps(entries, period, date(2024, 6, 1), 3, True, [rest, leave, bridge])
    assert set(gaps[0].explanation_ids) == {leave.id, bridge.id, rest.id}
