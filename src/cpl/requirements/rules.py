"""Evaluating one rule of a pack against a worker's record, as of a day.

Each rule is judged over its own period (see :mod:`cpl.requirements.periods`) and reports
required, achieved and remaining figures, a status (:func:`~cpl.requirements.periods.status_of`)
and the entries behind the figures. What each rule type counts:

- ``min_minutes``: the minutes of entries of its kinds (only participatory ones, or only
  some activity types, when it says so) that ended in the period.
- ``min_count``: entries of its kinds that ended in the period and meet its condition;
  the others are listed as not counted, with the reason.
- ``coverage``: elements and mandatory topics with at least one entry that ended in the
  period and is linked to the item or to an item beneath it; required is their number.
- ``activity_mix``: distinct activity types among entries of its kinds in the period.
- ``no_gap``: see :mod:`cpl.requirements.gaps`. Required is 0 unexplained gaps;
  achieved is how many there are. Status: ``met`` when there are none and the open
  stretch since the last activity is shorter than N − 1 months; ``at_risk`` while the
  period runs and there is an unexplained gap or the open stretch has reached N − 1
  months; ``not_met`` when the period is over with an unexplained gap.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from cpl.evidence.summaries import Entry
from cpl.requirements.gaps import find_gaps, too_long
from cpl.requirements.library import framework_codes
from cpl.requirements.pack import ActivityMix, Coverage, EntryCondition, MinCount, MinMinutes, NoGap, RequirementPack
from cpl.requirements.periods import AT_RISK, MET, NOT_MET, Period, period_for, status_of
from cpl.requirements.schemas import (
    CountedEntry,
    GapOut,
    ItemProgress,
    NotCounted,
    PeriodOut,
    RuleProgress,
    SourceOut,
    TypeCount,
    UnitFigures,
)
from cpl.requirements.worker_record import Explanation, WorkerRecord


@dataclass(frozen=True)
class Judged:
    """One registration's rules being judged: the record, the day, the explanations."""

    record: WorkerRecord
    as_of: date
    cycle_start: date
    renewal_date: date
    explanations: list[Explanation]


def counted(entry: Entry, minutes: int = 0) -> CountedEntry:
    return CountedEntry(
        id=entry.id,
        kind=entry.kind,
        title=entry.title,
        occurred_on=entry.occurred_on,
        ends_on=entry.ends_on,
        minutes=minutes,
    )


def _result(
    rule,
    period: Period,
    judged: Judged,
    unit: str,
    required: int,
    achieved: int,
    status: str | None = None,
    remaining: int | None = None,
    **extra,
) -> RuleProgress:
    status = status or status_of(required, achieved, period, judged.as_of)
    remaining = max(0, required - achieved) if remaining is None else remaining
    return RuleProgress(
        id=rule.id,
        title=rule.title,
        type=rule.type,
        source=SourceOut(title=rule.source.title, url=rule.source.url),
        status=status,
        unit=unit,
        required=required,
        achieved=achieved,
        remaining=remaining,
        period=PeriodOut(start=period.start, end=period.end),
        due_on=period.end,
        **extra,
    )


def _in_period(judged: Judged, period: Period, kinds: list[str] | None) -> list[Entry]:
    return judged.record.ended_between(period.start, period.counted_until(judged.as_of), kinds)


def _min_minutes(rule: MinMinutes, period: Period, judged: Judged) -> RuleProgress:
    entries = [
        entry
        for entry in _in_period(judged, period, rule.kinds)
        if entry.minutes > 0
        and (entry.participatory or not rule.participatory_only)
        and (rule.activity_types is None or entry.activity_type in rule.activity_types)
    ]
    achieved = sum(entry.minutes for entry in entries)
    units = None
    if rule.unit is not None:
        per = rule.unit.minutes
        units = UnitFigures(
            name=rule.unit.name,
            minutes_per_unit=per,
            required=round(rule.minutes / per, 2),
            achieved=round(achieved / per, 2),
            remaining=round(max(0, rule.minutes - achieved) / per, 2),
        )
    contributions = [counted(entry, entry.minutes) for entry in entries]
    return _result(rule, period, judged, "minutes", rule.minutes, achieved, entries=contributions, in_units=units)


def why_not(entry: Entry, condition: EntryCondition, record: WorkerRecord) -> str | None:
    """Why an entry does not meet a condition, or None when it does."""
    if condition.framework is not None:
        links = record.links.get(entry.id, set())
        if condition.items is None and not any(key == condition.framework for key, _ in links):
            return f"not linked to any item of {condition.framework}"
        if condition.items is not None and not any((condition.framework, code) in links for code in condition.items):
            return f"not linked to {', '.join(condition.items)} of {condition.framework} or an item beneath"
    if condition.peer_discussion:
        peer = record.peers.get(entry.id)
        if peer is None:
            return "no peer discussion recorded"
        missing = [name for name in condition.peer_discussion if not str(peer[name]).strip()]
        if missing:
            return f"the peer discussion lacks {', '.join(missing)}"
    if condition.reflection and not entry.reflected:
        return "no written reflection"
    return None


def _min_count(rule: MinCount, period: Period, judged: Judged) -> RuleProgress:
    entries, not_counted = [], []
    for entry in _in_period(judged, period, rule.kinds):
        reason = why_not(entry, rule.each, judged.record) if rule.each else None
        if reason is None:
            entries.append(counted(entry))
        else:
            not_counted.append(NotCounted(id=entry.id, title=entry.title, ends_on=entry.ends_on, reason=reason))
    return _result(rule, period, judged, "entries", rule.count, len(entries), entries=entries, not_counted=not_counted)


def _coverage(rule: Coverage, period: Period, judged: Judged) -> RuleProgress:
    record = judged.record
    linked = [entry for entry in _in_period(judged, period, rule.kinds) if entry.id in record.links]
    wanted = [(code, "element", None) for code in rule.elements]
    for topic in rule.mandatory_topics:
        element = next(code for code in rule.elements if _within(rule.framework, topic, code))
        wanted.append((topic, "mandatory_topic", element))
    items, used = [], {}
    for code, role, element in wanted:
        behind = [entry for entry in linked if (rule.framework, code) in record.links[entry.id]]
        used.update((entry.id, entry) for entry in behind)
        ids = [entry.id for entry in behind]
        items.append(
            ItemProgress(
                code=code,
                title=record.item_titles.get((rule.framework, code), code),
                role=role,
                element=element,
                covered=bool(ids),
                entry_ids=ids,
            )
        )
    achieved = sum(item.covered for item in items)
    entries = [counted(entry) for entry in used.values()]
    return _result(rule, period, judged, "items", len(items), achieved, entries=entries, items=items)


def _within(framework: str, topic: str, element: str) -> bool:
    """Whether the topic lies beneath the element (checked when the pack was loaded)."""
    codes = framework_codes()[framework]
    parent = codes.get(topic)
    while parent is not None and parent != element:
        parent = codes.get(parent)
    return parent == element


def _activity_mix(rule: ActivityMix, period: Period, judged: Judged) -> RuleProgress:
    by_type = defaultdict(list)
    for entry in _in_period(judged, period, rule.kinds):
        by_type[entry.activity_type].append(entry.id)
    types = [TypeCount(activity_type=name, entry_ids=ids) for name, ids in sorted(by_type.items())]
    return _result(rule, period, judged, "activity_types", rule.at_least, len(types), entries=[], activity_types=types)


def _no_gap(rule: NoGap, period: Period, judged: Judged) -> RuleProgress:
    candidates = judged.record.ended_between(period.start, date.max, rule.kinds)
    gaps, last = find_gaps(candidates, period, judged.as_of, rule.months, rule.at_least, judged.explanations)
    unexplained = sum(not gap.explained for gap in gaps)
    until = period.counted_until(judged.as_of)
    nearing = rule.months > 1 and too_long(last, until, rule.months - 1, True) and not any(gap.open for gap in gaps)
    if unexplained and (period.continuous or judged.as_of > period.end):
        status = NOT_MET
    else:
        status = AT_RISK if unexplained or nearing else MET
    out = [
        GapOut(
            from_date=gap.from_date,
            to_date=gap.to_date,
            open=gap.open,
            after_entry_id=gap.after_entry_id,
            before_entry_id=gap.before_entry_id,
            explained=gap.explained,
            explanation_ids=list(gap.explanation_ids),
        )
        for gap in gaps
    ]
    return _result(rule, period, judged, "unexplained_gaps", 0, unexplained, status, unexplained, entries=[], gaps=out)


EVALUATORS = {
    MinMinutes: _min_minutes,
    MinCount: _min_count,
    Coverage: _coverage,
    ActivityMix: _activity_mix,
    NoGap: _no_gap,
}


def evaluate(pack: RequirementPack, rule, judged: Judged) -> RuleProgress:
    period = period_for(pack.deadline_of(rule), judged.cycle_start, judged.renewal_date, judged.as_of)
    return EVALUATORS[type(rule)](rule, period, judged)


STATUS_ORDER = (MET, "on_track", AT_RISK, NOT_MET)


def worst(statuses: list[str]) -> str:
    return max(statuses, key=STATUS_ORDER.index, default=MET)
