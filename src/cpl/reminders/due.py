"""Which registration reminders are due, worked out for many workers at once.

Rules (issue 19, item 1):
- A registration's rules are judged as on the worker's own calendar day (their time zone),
  against the pack edition that applies (:mod:`cpl.requirements.progress`).
- Rules still open — ``on_track`` or ``at_risk`` — are grouped by the day they fall due. For each
  such day, the reminder due is the one for the smallest of the worker's ``days_before`` that is
  at least the days left: with 90, 30 and 7, the 90-day reminder is due from 90 days before
  (exactly 90 → due; 91 → not yet) until 31, the 30-day one from 30 to 8, the 7-day one from 7
  to the due day. Each is sent once (its key names the registration, the due day and the days).
  A reminder whose turn passed unsent (a registration added 20 days before) is not sent late:
  the one due now says the same, more urgently.
- A rule ``at_risk`` (behind the share of its period that has passed) gets one nudge per period.
- Nothing is sent for a registration whose rules are all met, nor for a rule already
  ``not_met`` (its period is over, or a rolling window that must hold every day).
- The work is done in batches of workers: every batch is a handful of statements (who needs
  judging with their settings and change counters, then their registrations, entries, links, peer
  discussions, gap explanations), then every rule of every registration is judged in memory
  (bench.reminders: 100,000 workers' first run in 19–24 s).
- A worker is judged again only when something could have changed: on the next day a reminder
  could fall due if their record stays as it is (a reminder day, an on-track rule turning at
  risk, a period ending), or sooner when their evidence, a registration or their settings change
  (``reminder_check``). Links, peer discussions and gap explanations only ever help a rule; their
  changes are seen at the next check.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from cpl.kernel import clock
from cpl.reminders.preferences import Preferences, from_row
from cpl.reminders.repository import FIRST, owners_to_check
from cpl.reminders.wording import at_risk_message, due_message, missing_words
from cpl.requirements.library import PackLibrary, shipped_library
from cpl.requirements.periods import AT_RISK, ON_TRACK
from cpl.requirements.progress import earliest_start, judged_for, pack_for
from cpl.requirements.rules import evaluate
from cpl.requirements.schemas import RuleProgress
from cpl.requirements.service import registrations_of
from cpl.requirements.worker_record import WorkerRecord, load_records, snapshot

#: Workers read per batch: large enough that statements are few, small enough for IN lists.
BATCH = 500


@dataclass(frozen=True)
class Reminder:
    """One reminder to send: its keys (each sent once; a reminder gathering several things, such
    as a supervisor's waiting reviews, has one per thing), who to, the notification's kind and words."""

    keys: tuple[str, ...]
    recipient: UUID
    kind: str
    message: str
    review: UUID | None = None


def local_day(preferences: Preferences, now: datetime) -> date:
    return now.astimezone(ZoneInfo(preferences.time_zone)).date()


def _turns_at_risk(progress: RuleProgress) -> date:
    """The first day a rule on track becomes at risk if nothing is added: when the share still to do
    exceeds the share of days left (:func:`cpl.requirements.periods.status_of`), i.e. ``days_left <
    (required − achieved) × days / required``. A gap rule's open stretch grows daily: the next day."""
    if progress.type == "no_gap":
        return date.min
    start, end = progress.period.start, progress.period.end
    share = -(-(progress.required - progress.achieved) * ((end - start).days + 1) // progress.required)
    return end + timedelta(days=2 - share)


def _next_check(judged: list[tuple[object, RuleProgress]], days_before: tuple[int, ...], today: date) -> date:
    """The first day after ``today`` on which a reminder could fall due if the record stays as it is:
    a reminder day of an open rule, an on-track rule turning at risk, or a period ending (a new one starts)."""
    days = [today + timedelta(days=366)]
    for _, progress in judged:
        due_on = progress.due_on
        days.append(due_on + timedelta(days=1))
        if progress.status in (ON_TRACK, AT_RISK):
            days += [due_on - timedelta(days=before) for before in days_before]
        if progress.status == ON_TRACK:
            days.append(_turns_at_risk(progress))
    return min(day for day in days if day > today) if any(day > today for day in days) else today + timedelta(days=1)


def registration_reminders(
    library: PackLibrary, registration: dict[str, Any], record: WorkerRecord, days_before: tuple[int, ...], today: date
) -> tuple[list[Reminder], date]:
    """The reminders one registration calls for today (before checking which were sent), and the
    next day it needs judging if nothing changes."""
    pack = pack_for(library, registration, today)
    judged = judged_for(registration, record, today)
    pairs = [(rule, evaluate(pack, rule, judged)) for rule in pack.rules_for(registration["part"])]
    open_rules = [(rule, progress) for rule, progress in pairs if progress.status in (ON_TRACK, AT_RISK)]
    by_due: dict[date, list] = defaultdict(list)
    for pair in open_rules:
        by_due[pair[1].due_on].append(pair)
    owner, number = registration["owner"], registration["id"]
    found = []
    for due_on, due_pairs in sorted(by_due.items()):
        days_left = (due_on - today).days
        milestone = min((days for days in days_before if days_left <= days), default=None)
        if milestone is not None:
            message = due_message(pack.title, due_on, days_left, missing_words(due_pairs))
            found.append(Reminder((f"due:{number}:{due_on}:{milestone}",), owner, "reminder_due", message))
    for rule, progress in open_rules:
        if progress.status == AT_RISK:
            message = at_risk_message(pack.title, rule.title, progress.due_on, missing_words([(rule, progress)]))
            key = f"at_risk:{number}:{rule.id}:{progress.due_on}"
            found.append(Reminder((key,), owner, "reminder_at_risk", message))
    return found, _next_check(pairs, days_before, today)


@dataclass
class Batch:
    """One batch of workers judged: the reminders due, their preferences, and for each worker the
    check to record once everything due was sent (``owner``, ``next_check_on``, ``evidence_seq``)."""

    reminders: list[Reminder]
    preferences: dict[UUID, Preferences]
    checks: dict[UUID, dict[str, Any]]


async def _judge(library: PackLibrary, rows: list[dict[str, Any]], now: datetime) -> Batch:
    """Judge the workers of :func:`~cpl.reminders.repository.owners_to_check`'s rows."""
    read_at = clock.now()  # a change after this is judged next run (``checked_at``)
    owners = [UUID(row["owner"]) for row in rows]
    counters = {owner: row["evidence_seq"] for owner, row in zip(owners, rows, strict=True)}
    preferences = {
        owner: from_row(row if row["days_before"] is not None else None)
        for owner, row in zip(owners, rows, strict=True)
    }
    registrations = await registrations_of(owners)
    days = {owner: local_day(preferences[owner], now) for owner in owners}
    since = min(earliest_start(library, [row], days[row["owner"]]) for row in registrations)
    records = await load_records(owners, since)
    found: list[Reminder] = []
    next_days: dict[UUID, list[date]] = defaultdict(list)
    for row in registrations:
        owner = row["owner"]
        reminders, next_day = registration_reminders(
            library, row, records[owner], preferences[owner].days_before, days[owner]
        )
        found += reminders
        next_days[owner].append(next_day)
    checks = {
        owner: {
            "owner": owner,
            "next_check_on": min(next_days[owner]),
            "evidence_seq": counters[owner],
            "checked_at": read_at,
        }
        for owner in next_days
    }
    return Batch(found, preferences, checks)


async def registration_batches(now: datetime, batch: int = BATCH) -> AsyncIterator[Batch]:
    """The registration reminders due at ``now`` of every worker who needs judging, a batch of
    workers at a time (workers whose check day has not come and whose record, registrations and
    settings did not change are not read at all)."""
    library = shipped_library()
    # The latest calendar day anywhere: a worker judged a little early is judged again on their day.
    day = (now + timedelta(hours=14)).date()
    after = FIRST
    while True:
        async with snapshot():
            rows = await owners_to_check(after, day, batch)
            if not rows:
                return
            after = UUID(rows[-1]["owner"])
            judged = await _judge(library, rows, now)
        yield judged
