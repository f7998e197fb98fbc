"""Forgetting reminders sent once they can no longer matter (``cpl retention run``).

Rules:
- A ``reminder_sent`` row only stops a reminder going twice. A registration's reminders
  (``due:<registration>:<due day>:<days>``, ``at_risk:<registration>:<rule>:<due day>``) and an audit
  request's (``audit:<request>:<recipient>:<deadline>``) can only be sent up to their day: after it
  the period is over (the next one has another due day, so other keys) or the request is overdue.
  Their rows are deleted once that day is more than :data:`KEPT_AFTER_DAY` (30 days) past — a margin
  far beyond any time zone's day, so a late run can never send one again.
- A supervisor's waiting-review reminder (``review_waiting:<review>:<submitted day>``) matters as long
  as the review waits, however long: it is kept (it goes with the account, as every row does).
- The notifications these reminders made are purged on their own schedule (``notification_retention``).
"""

from __future__ import annotations

from datetime import date, timedelta

from cpl.reminders import repository

KEPT_AFTER_DAY = timedelta(days=30)
#: Kind of reminder → where its key names its day (due reminders: the third part; others: the last).
_DAY_PART = {"reminder_due": 2, "reminder_at_risk": -1, "audit_request_due": -1}


def day_of(key: str, kind: str) -> date:
    return date.fromisoformat(key.split(":")[_DAY_PART[kind]])


async def purge_past_reminders(today: date) -> int:
    """Delete the rows of reminders whose day is more than :data:`KEPT_AFTER_DAY` before ``today``;
    how many went. A reminder is sent on or before its day, so only rows sent before then are read."""
    before = today - KEPT_AFTER_DAY
    rows = await repository.sent_kinds_before(list(_DAY_PART), before)
    return await repository.delete_sent([row["key"] for row in rows if day_of(row["key"], row["kind"]) < before])
