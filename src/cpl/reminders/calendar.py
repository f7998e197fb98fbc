"""A person's calendar feed: a secret iCalendar (RFC 5545) address with each registration's due
dates and the days its reminders go.

Rules (issue 19, item 2):
- The address holds a random 256-bit token; cpl keeps only its SHA-256, so the address is shown
  once, when made. Making it again replaces it (the old address answers 404); revoking deletes it.
- The feed lists, for each registration, an all-day event on each day its rules fall due (as
  of today, in the person's time zone) and one on each reminder day (the person's
  ``days_before``) still to come. Rules judged over a rolling window that must hold every day
  have no due day and no event.
- Events keep their UID from one fetch to the next (registration, due day, days before), so a
  calendar app updates them instead of adding copies; DTSTAMP is when the registration last changed.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from icalendar import Calendar, Event

from cpl.db import write_transaction
from cpl.errors import NotFound
from cpl.kernel import clock
from cpl.reminders import repository
from cpl.reminders.due import local_day
from cpl.reminders.preferences import preferences_of
from cpl.reminders.schemas import CalendarFeedOut
from cpl.reminders.wording import day_words
from cpl.requirements.library import shipped_library
from cpl.requirements.periods import period_for
from cpl.requirements.progress import pack_for
from cpl.requirements.service import list_registrations
from cpl.settings import Settings

FEED_PATH = "/calendar/"
_NOT_FOUND = "No calendar feed at this address (it was revoked or replaced)."


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def make_feed(settings: Settings, owner: UUID) -> CalendarFeedOut:
    """Make (or replace) the owner's secret feed address."""
    token = secrets.token_urlsafe(32)
    async with write_transaction():
        await repository.save_feed(owner, token_hash(token), clock.now())
    url = f"{settings.public_base_url.rstrip('/')}{FEED_PATH}{token}.ics"
    return CalendarFeedOut(url=url, webcal_url="webcal://" + url.split("://", 1)[1])


async def revoke_feed(owner: UUID) -> None:
    async with write_transaction():
        if not await repository.delete_feed(owner):
            raise NotFound("You have no calendar feed.")


def _due_days(registration: dict[str, Any], today: date) -> list[date]:
    pack = pack_for(shipped_library(), registration, today)
    days = set()
    for rule in pack.rules_for(registration["part"]):
        period = period_for(pack.deadline_of(rule), registration["cycle_start"], registration["renewal_date"], today)
        if not period.continuous:
            days.add(period.end)
    return sorted(days)


def _event(uid: str, day: date, summary: str, description: str, stamp) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    return event


def _registration_events(registration: dict[str, Any], days_before: tuple[int, ...], today: date) -> list[Event]:
    title = pack_for(shipped_library(), registration, today).title
    number, stamp = registration["id"], registration["updated_at"]
    events = []
    for due_on in _due_days(registration, today):
        words = f"{title} ({registration['register'].upper()} {registration['registration_number']})"
        events.append(_event(f"{number}-{due_on}@cpl", due_on, f"{title} due", f"{words} is due.", stamp))
        for days in days_before:
            day = due_on - timedelta(days=days)
            if day >= today:
                summary = f"{title}: {days} days to go"
                description = f"{words} is due on {day_words(due_on)}. Check what is still missing in cpl."
                events.append(_event(f"{number}-{due_on}-{days}d@cpl", day, summary, description, stamp))
    return events


async def feed_calendar(settings: Settings, token: str) -> bytes:
    """The iCalendar text of the feed this token opens (404 when there is none)."""
    owner = await repository.feed_owner(token_hash(token))
    if owner is None:
        raise NotFound(_NOT_FOUND)
    preferences = (await preferences_of([owner]))[owner]
    today = local_day(preferences, clock.now())
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.service_name}//reminders//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{settings.service_name}: registration deadlines")
    for registration in await list_registrations(owner):
        for event in _registration_events(registration, preferences.days_before, today):
            calendar.add_component(event)
    return calendar.to_ical()
