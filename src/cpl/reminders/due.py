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
- The work is done in batches of workers: every batch is a handful of statements (their
  registrations, entries, links, peer discussions, gap explanations, settings), then every rule
  of every registration is judged in memory (bench.reminders: 100,000 workers).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from cpl.reminders.preferences import Preferences, preferences_of
from cpl.reminders.wording import at_risk_message, due_message, missing_words
from cpl.requirements.library import PackLibrary, shipped_library
from cpl.requirements.periods import AT_RISK, ON_TRACK
from cpl.requirements.progress import earliest_start, judged_for, pack_for
from cpl.requirements.rules import evaluate
from cpl.requirements.service import registrations_after
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


def registration_reminders(
    library: PackLibrary, registration: dict[str, Any], record: WorkerRecord, days_before: tuple[int, ...], today: date
) -> list[Reminder]:
    """The reminders one registration calls for today (before checking which were sent)."""
    pack = pack_for(library, registration, today)
    judged = judged_for(registration, record, today)
    open_rules = [
        (rule, progress)
        for rule in pack.rules_for(registration["part"])
        if (progress := evaluate(pack, rule, judged)).status in (ON_TRACK, AT_RISK)
    ]
    by_due: dict[date, list] = defaultdict(list)
    for pair in open_rules:
        by_due[pair[1].due_on].append(pair)
    owner, number = registration["owner"], registration["id"]
    found = []
    for due_on, pairs in sorted(by_due.items()):
        days_left = (due_on - today).days
        milestone = min((days for days in days_before if days_left <= days), default=None)
        if milestone is not None:
            message = due_message(pack.title, due_on, days_left, missing_words(pairs))
            found.append(Reminder((f"due:{number}:{due_on}:{milestone}",), owner, "reminder_due", message))
    for rule, progress in open_rules:
        if progress.status == AT_RISK:
            message = at_risk_message(pack.title, rule.title, progress.due_on, missing_words([(rule, progress)]))
            found.append(
                Reminder((f"at_risk:{number}:{rule.id}:{progress.due_on}",), owner, "reminder_at_risk", message)
            )
    return found


async def _batch_reminders(
    library: PackLibrary, registrations: list[dict[str, Any]], now: datetime
) -> tuple[list[Reminder], dict[UUID, Preferences]]:
    owners = list(dict.fromkeys(row["owner"] for row in registrations))
    preferences = await preferences_of(owners)
    days = {owner: local_day(preferences[owner], now) for owner in owners}
    since = min(earliest_start(library, [row], days[row["owner"]]) for row in registrations)
    records = await load_records(owners, since)
    found = []
    for row in registrations:
        owner = row["owner"]
        found += registration_reminders(library, row, records[owner], preferences[owner].days_before, days[owner])
    return found, preferences


async def registration_batches(now: datetime, batch: int = BATCH) -> AsyncIterator[tuple[list[Reminder], dict]]:
    """Every worker's registration reminders due at ``now``, a batch of workers at a time, with
    those workers' preferences."""
    library = shipped_library()
    after: UUID | None = None
    while True:
        async with snapshot():
            registrations, after = await registrations_after(after, batch)
            if not registrations:
                return
            found = await _batch_reminders(library, registrations, now)
        yield found
