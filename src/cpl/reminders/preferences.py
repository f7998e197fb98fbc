"""A person's reminder settings, and whether now is a quiet hour for them.

Rules:
- With nothing saved, a person is reminded 90, 30 and 7 days before each due date, by e-mail and
  in the app, never from 21:00 to 08:00 in Europe/London.
- Quiet hours are read in the person's own time zone (daylight saving included): from
  ``quiet_from`` up to ``quiet_until``, wrapping past midnight when ``quiet_from`` is later in
  the day. A reminder due in quiet hours is not sent then; the next run after they end sends it.
- Equal ``quiet_from`` and ``quiet_until`` mean no quiet hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from cpl.db import write_transaction
from cpl.kernel import clock
from cpl.reminders import repository
from cpl.reminders.schemas import ReminderSettingsIn, ReminderSettingsOut


@dataclass(frozen=True)
class Preferences:
    days_before: tuple[int, ...] = (90, 30, 7)
    email: bool = True
    in_app: bool = True
    time_zone: str = "Europe/London"
    quiet_from: str = "21:00"
    quiet_until: str = "08:00"

    def quiet_at(self, moment: datetime) -> bool:
        """Whether ``moment`` (aware) falls in the person's quiet hours."""
        local = moment.astimezone(ZoneInfo(self.time_zone)).time()
        start, end = time.fromisoformat(self.quiet_from), time.fromisoformat(self.quiet_until)
        if start == end:
            return False
        if start < end:
            return start <= local < end
        return local >= start or local < end

    @property
    def silent(self) -> bool:
        """Both channels off: nothing reaches the person, so nothing is made."""
        return not (self.email or self.in_app)


DEFAULTS = Preferences()


def from_row(row: dict[str, Any] | None) -> Preferences:
    if row is None:
        return DEFAULTS
    return Preferences(
        days_before=tuple(int(day) for day in row["days_before"].split(",")),
        email=bool(row["email"]),  # 0 or 1 when read by raw SQL on SQLite
        in_app=bool(row["in_app"]),
        time_zone=row["time_zone"],
        quiet_from=row["quiet_from"],
        quiet_until=row["quiet_until"],
    )


def preferences_out(preferences: Preferences) -> ReminderSettingsOut:
    return ReminderSettingsOut(
        days_before=list(preferences.days_before),
        email=preferences.email,
        in_app=preferences.in_app,
        time_zone=preferences.time_zone,
        quiet_from=preferences.quiet_from,
        quiet_until=preferences.quiet_until,
    )


async def preferences_of(owners: list[UUID]) -> dict[UUID, Preferences]:
    """Every owner's preferences, the defaults for those who saved none."""
    saved = await repository.settings_of(owners)
    return {owner: from_row(saved.get(owner)) for owner in owners}


async def my_settings(owner: UUID) -> ReminderSettingsOut:
    return preferences_out((await preferences_of([owner]))[owner])


async def put_settings(owner: UUID, data: ReminderSettingsIn) -> ReminderSettingsOut:
    values = data.model_dump()
    values["days_before"] = ",".join(str(day) for day in data.days_before)
    async with write_transaction():
        await repository.save_settings(owner, values, clock.now())
    return await my_settings(owner)
