"""Bodies of the reminders API: a person's reminder settings and their calendar feed."""

from __future__ import annotations

import re
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator

from cpl.kernel.fields import JsonBool, JsonInt
from cpl.kernel.schemas import Out, RequestModel

_CLOCK_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
DaysBefore = Annotated[JsonInt, Field(ge=1, le=365)]


class ReminderSettingsIn(RequestModel):
    """When and how reminders reach the person.

    - ``days_before``: days before a registration's due date a reminder goes (1 to 5 of them,
      each 1–365; default 90, 30 and 7);
    - ``email``, ``in_app``: each channel on or off (in-app notifications also reach the
      person's devices by push);
    - ``time_zone``: an IANA time zone (``Europe/London``); ``quiet_from``/``quiet_until``:
      local ``HH:MM`` between which nothing is sent (a reminder due then waits until the end).
    """

    days_before: Annotated[list[DaysBefore], Field(min_length=1, max_length=5)]
    email: JsonBool
    in_app: JsonBool
    time_zone: Annotated[str, Field(min_length=1, max_length=64)]
    quiet_from: str
    quiet_until: str

    @field_validator("days_before")
    @classmethod
    def _distinct(cls, days: list[int]) -> list[int]:
        if len(set(days)) != len(days):
            raise ValueError("each number of days may appear once")
        return sorted(days, reverse=True)

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{name!r} is not an IANA time zone, such as Europe/London") from None
        return name

    @field_validator("quiet_from", "quiet_until")
    @classmethod
    def _clock_time(cls, value: str) -> str:
        if not _CLOCK_TIME.match(value):
            raise ValueError(f"{value!r} is not a time of day as HH:MM (00:00 to 23:59)")
        return value


class ReminderSettingsOut(Out):
    days_before: list[int]
    email: bool
    in_app: bool
    time_zone: str
    quiet_from: str
    quiet_until: str


class CalendarFeedOut(Out):
    """The secret address a calendar app subscribes to; shown once, when made (only its hash is kept)."""

    url: str
    webcal_url: str


class ReminderSentOut(Out):
    """What ``cpl reminders run`` reports of each reminder it sent."""

    key: str
    recipient: str
    kind: str
    message: str
