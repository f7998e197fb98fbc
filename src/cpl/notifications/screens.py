"""Which screen of the app each kind of notification opens, in one place (the push's ``url``).

- Review events (``REVIEW_KINDS``, from cpl.reviews.service and cpl.reviews.stale) open the
  review: ``/app/reviews/{review}``, the screen both its worker and its reviewer use
  (web/src/screens/Review.tsx; the notifications screen links them there too).
- Reminders of what is missing (``reminder_due``, ``reminder_at_risk``) open progress; a
  supervisor's reminder of reviews waiting opens their review queue.
- Audit requests: the worker's kinds open their audit requests, the auditor's their audits (a
  request near its deadline is ``audit_request_due`` to its worker and ``audit_request_unanswered``
  to the organisation's auditors, so each opens their own screen).
- Anything else opens the notifications screen.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

APP = "/app"
NOTIFICATIONS = f"{APP}/notifications"

REVIEW_KINDS = frozenset(
    {
        "submitted",
        "commented",
        "changes_requested",
        "resubmitted",
        "verified",
        "withdrawn",
        "verification_stale",
    }
)

SCREENS: dict[str, str] = {
    "reminder_due": f"{APP}/progress",
    "reminder_at_risk": f"{APP}/progress",
    "review_waiting": f"{APP}/reviews",
    "audit_requested": f"{APP}/audit-requests",
    "audit_withdrawn": f"{APP}/audit-requests",
    "audit_outcome": f"{APP}/audit-requests",
    "audit_request_due": f"{APP}/audit-requests",
    "audit_request_unanswered": f"{APP}/audits",
    "audit_responded": f"{APP}/audits",
    "audit_declined": f"{APP}/audits",
}


def screen_of(kind: str, review: UUID | None) -> str:
    """The app path a notification of ``kind`` (about ``review``, if any) opens."""
    if kind in REVIEW_KINDS and review is not None:
        return f"{APP}/reviews/{review}"
    return SCREENS.get(kind, NOTIFICATIONS)


def heading_of(service_name: str, kind: str) -> str:
    """The pushed notification's title: the service and the kind in words, as the e-mail copy's subject."""
    return f"{service_name}: {kind.replace('_', ' ')}"


def push_message_fields(service_name: str, row: dict[str, Any]) -> dict[str, str]:
    return {
        "title": heading_of(service_name, row["kind"]),
        "body": row["message"],
        "url": screen_of(row["kind"], row["review"]),
        "tag": str(row["id"]),
    }
