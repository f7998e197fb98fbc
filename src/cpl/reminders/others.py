"""Reminders of work waiting on someone else than the worker's own registrations.

Rules (issue 19, item 1):
- A supervisor hears of the reviews that have waited in their queue (``submitted``) longer than
  ``review_reminder_days``: one notification naming them, each review reminded of once per
  submission.
- The worker asked and every current auditor of the regulator hear of an audit request still
  waiting for the worker (``requested`` or ``more_information_needed``) once its deadline is
  ``audit_request_reminder_days`` away or nearer (not once it has passed: it is overdue, and both
  sides see that already). The worker is the account the request is bound to, or else the one
  that confirmed the address asked (as ``GET /v1/me/audit-requests``); once per recipient and deadline.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from cpl.accounts.service import verified_account_ids
from cpl.audit_requests.repository import waiting_due_between
from cpl.organisations.service import role_holders
from cpl.reminders.due import Reminder
from cpl.reminders.repository import taken
from cpl.reminders.wording import day_words
from cpl.reviews.queries import waiting_since
from cpl.settings import Settings


async def review_reminders(settings: Settings, now: datetime) -> list[Reminder]:
    """Per supervisor, one reminder of the reviews waiting too long and not reminded of yet."""
    days = settings.review_reminder_days
    rows = await waiting_since(now - timedelta(days=days))
    keys = {row["id"]: f"review_waiting:{row['id']}:{row['submitted_at'].date()}" for row in rows}
    done = await taken(list(keys.values()))
    by_reviewer: dict[UUID, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if keys[row["id"]] not in done:
            by_reviewer[row["reviewer"]].append(row)
    found = []
    for reviewer, waiting in by_reviewer.items():
        titles = ", ".join(f"“{row['entry_title']}”" for row in waiting)
        count = len(waiting)
        message = f"{count} review{'s have' if count > 1 else ' has'} waited more than {days} days for you: {titles}."
        review = waiting[0]["id"] if count == 1 else None
        mine = tuple(keys[row["id"]] for row in waiting)
        found.append(Reminder(mine, reviewer, "review_waiting", message, review))
    return found


def _worker_message(row: dict[str, Any]) -> str:
    return (
        f"{row['organisation_name']} asked for your {row['register'].upper()} record by "
        f"{day_words(row['deadline'])}: answer or decline the request in cpl."
    )


def _auditor_message(row: dict[str, Any]) -> str:
    return (
        f"The audit request to {row['worker_email']} for their {row['register'].upper()} record is due on "
        f"{day_words(row['deadline'])} and not answered yet."
    )


async def audit_request_reminders(settings: Settings, now: datetime) -> list[Reminder]:
    today = now.date()  # an audit request's deadline is a UTC day (cpl.audit_requests.tables)
    rows = await waiting_due_between(today, today + timedelta(days=settings.audit_request_reminder_days))
    if not rows:
        return []
    workers = await verified_account_ids([row["worker_email"] for row in rows if row["worker"] is None])
    auditors = await role_holders(list({row["organisation"] for row in rows}), "auditor")
    found = []
    for row in rows:
        worker = row["worker"] or workers.get(row["worker_email"])
        if worker is not None:
            key = f"audit:{row['id']}:{worker}:{row['deadline']}"
            found.append(Reminder((key,), worker, "audit_request_due", _worker_message(row)))
        for auditor in auditors[row["organisation"]]:
            key = f"audit:{row['id']}:{auditor}:{row['deadline']}"
            found.append(Reminder((key,), auditor, "audit_request_unanswered", _auditor_message(row)))
    return found
