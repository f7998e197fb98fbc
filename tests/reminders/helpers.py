"""Test data for reminders: a worker on the SSSC register (2020 edition: 60 hours over the
registration, one rule, so each status is one entry away), days relative to today, runs at a chosen time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from httpx import AsyncClient

from cpl.notifications.tables import Notification
from tests.factories import put_entry
from tests.requirements.helpers import register_on

TODAY = datetime.now(UTC).date()


def noon(day: date, hour: int = 12) -> datetime:
    """``hour`` o'clock UTC on ``day`` (12:00 UTC is 12:00 in London in winter, 13:00 in summer)."""
    return datetime.combine(day, time(hour), tzinfo=UTC)


async def sssc_due_in(client: AsyncClient, headers: dict[str, str], days: int, hours_done: int) -> dict[str, Any]:
    """A registration due ``days`` from today, four years long, with ``hours_done`` hours of CPL three days ago."""
    due = TODAY + timedelta(days=days)
    made = await register_on(
        client,
        headers,
        "sssc",
        "social_care",
        (due.replace(year=due.year - 4) + timedelta(days=1)).isoformat(),
        due.isoformat(),
        pack_edition="2020",
    )
    if hours_done:
        entry = await put_entry(client, headers, **spanning(hours_done))
        made["entry_id"] = entry["id"]
    return made


def spanning(hours: int) -> dict[str, Any]:
    """An entry's dates and minutes: a week-long course ending three days ago (room for 60 hours)."""
    return {
        "occurred_on": (TODAY - timedelta(days=10)).isoformat(),
        "ended_on": (TODAY - timedelta(days=3)).isoformat(),
        "duration_minutes": hours * 60,
    }


async def notifications_of(client: AsyncClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = await client.get("/v1/notifications", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def all_notifications() -> list[dict[str, Any]]:
    return await Notification.select()


#: A worker's reminder settings until they change them (README, "Reminders and calendar").
DEFAULT_SETTINGS = {
    "days_before": [90, 30, 7],
    "email": True,
    "in_app": True,
    "time_zone": "Europe/London",
    "quiet_from": "21:00",
    "quiet_until": "08:00",
}


async def set_reminders(client: AsyncClient, headers: dict[str, str], **changes: Any) -> dict[str, Any]:
    body = {**DEFAULT_SETTINGS, **changes}
    response = await client.put("/v1/me/reminder-settings", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()
