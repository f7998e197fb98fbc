"""Gaps in a record: stretches without learning long enough to need explaining.

Rules:
- A gap runs from the last day of one activity to the first day of the next, measured in
  calendar months: activities on 15 January and 15 April are exactly 3 months apart.
  The period's start counts as an activity day (so does a gap before the first entry),
  and the stretch since the last activity is an *open* gap up to the day asked about.
- A rule with ``at_least`` flags a gap of exactly N months or more (HCPC: "three
  consecutive months or more"); without, only a gap of more than N months.
- A gap is explained when the worker's explanations for the registration, together,
  cover every day without activity in it (for an open gap, up to the day asked about).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from cpl.evidence.summaries import Entry
from cpl.requirements.periods import ONE_DAY, Period, add_months
from cpl.requirements.worker_record import Explanation


@dataclass(frozen=True)
class Gap:
    from_date: date
    to_date: date
    open: bool
    after_entry_id: str | None
    before_entry_id: str | None
    explanation_ids: tuple[UUID, ...] = ()

    @property
    def explained(self) -> bool:
        return bool(self.explanation_ids)


def too_long(from_date: date, to_date: date, months: int, at_least: bool) -> bool:
    if (to_date - from_date).days < 28 * months:  # no N calendar months are shorter: skip the calendar
        return False
    limit = add_months(from_date, months)
    return to_date >= limit if at_least else to_date > limit


def _covering(first: date, last: date, explanations: list[Explanation]) -> tuple[UUID, ...]:
    """The explanations that together cover ``first``…``last`` (none if they leave a day out)."""
    used, reached = [], first - ONE_DAY
    for explanation in sorted(explanations, key=lambda item: item.starts_on):
        if explanation.starts_on > reached + ONE_DAY:
            break
        if explanation.ends_on > reached:
            used.append(explanation.id)
            reached = explanation.ends_on
        if reached >= last:
            return tuple(used)
    return ()


def _explained(gap: Gap, explanations: list[Explanation]) -> Gap:
    first = gap.from_date + ONE_DAY
    last = gap.to_date if gap.open else gap.to_date - ONE_DAY
    ids = _covering(first, last, explanations)
    return Gap(gap.from_date, gap.to_date, gap.open, gap.after_entry_id, gap.before_entry_id, ids)


def find_gaps(
    entries: list[Entry], period: Period, as_of: date, months: int, at_least: bool, explanations: list[Explanation]
) -> tuple[list[Gap], date]:
    """Every gap in the period that is too long, and the last day of activity (or the
    period's start) from which the open stretch runs."""
    until = period.counted_until(as_of)
    last, last_id = period.start, None
    gaps = []
    for entry in sorted(entries, key=lambda item: item.occurred_on):
        if entry.ends_on < period.start:
            continue
        if entry.occurred_on > until:
            break
        start = max(entry.occurred_on, period.start)
        if too_long(last, start, months, at_least):
            gaps.append(Gap(last, start, False, last_id, entry.id))
        if entry.ends_on >= last:
            last, last_id = min(entry.ends_on, until), entry.id
    if until > last and too_long(last, until, months, at_least):
        gaps.append(Gap(last, until, True, last_id, None))
    return [_explained(gap, explanations) for gap in gaps], last
