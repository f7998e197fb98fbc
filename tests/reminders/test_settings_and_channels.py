"""A worker's reminder settings: validation, quiet hours in their time zone, each channel off,
and the e-mail through the real SMTP server the tests start."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from cpl.reminders import run_reminders
from tests.factories import sign_up
from tests.mailbox import body_of, mails_to
from tests.reminders.helpers import DEFAULT_SETTINGS, TODAY, noon, notifications_of, set_reminders, sssc_due_in


def local(hour: int, minute: int, zone: str) -> datetime:
    """Today at this time in this time zone."""
    return datetime.combine(TODAY, time(hour, minute), tzinfo=ZoneInfo(zone))


async def _email_of(client, headers) -> str:
    return (await client.get("/v1/me", headers=headers)).json()["email"]


async def test_settings_start_at_the_defaults_and_are_replaced(client):
    worker = await sign_up(client)
    assert (await client.get("/v1/me/reminder-settings", headers=worker)).json() == DEFAULT_SETTINGS
    saved = await set_reminders(client, worker, days_before=[14, 60], time_zone="America/New_York", email=False)
    assert saved == {**DEFAULT_SETTINGS, "days_before": [60, 14], "time_zone": "America/New_York", "email": False}
    assert (await client.get("/v1/me/reminder-settings", headers=worker)).json() == saved
    assert (await client.get("/v1/me/reminder-settings")).status_code == 401


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"time_zone": "../../etc/passwd"}, "time_zone"),
        ({"quiet_from": "25:00"}, "quiet_from"),
        ({"quiet_until": "8am"}, "quiet_until"),
        ({"days_before": [30, 30]}, "days_before"),
        ({"days_before": [0]}, "days_before"),
        ({"days_before": []}, "days_before"),
        ({"email": "no"}, "email"),
    ],
)
async def test_bad_settings_are_refused_naming_the_field(client, change, field):
    worker = await sign_up(client)
    response = await client.put("/v1/me/reminder-settings", json={**DEFAULT_SETTINGS, **change}, headers=worker)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in {error["field"].split(".")[-1] for error in response.json()["errors"]} | {
        part for error in response.json()["errors"] for part in error["field"].split(".")
    }


async def test_no_reminder_in_quiet_hours_in_the_workers_time_zone_it_waits_for_morning(client, settings):
    worker = await sign_up(client)
    await set_reminders(client, worker, time_zone="America/New_York")
    await sssc_due_in(client, worker, 90, hours_done=57)
    # 07:59 in New York is quiet there (11:59 or 12:59 in London, which is not)
    assert await run_reminders(settings, local(7, 59, "America/New_York")) == []
    assert await notifications_of(client, worker) == []
    [sent] = await run_reminders(settings, local(8, 0, "America/New_York"))
    assert sent.kind == "reminder_due" and "(in 90 days)" in sent.message


async def test_quiet_hours_wrap_past_midnight_in_london(client, settings):
    worker = await sign_up(client)
    await sssc_due_in(client, worker, 90, hours_done=57)
    assert await run_reminders(settings, local(21, 0, "Europe/London")) == []
    assert await run_reminders(settings, local(3, 0, "Europe/London")) == []
    assert await run_reminders(settings, local(7, 59, "Europe/London")) == []
    assert len(await run_reminders(settings, local(8, 0, "Europe/London"))) == 1


async def test_email_off_leaves_the_in_app_notification(client, settings):
    worker = await sign_up(client)
    await set_reminders(client, worker, email=False)
    await sssc_due_in(client, worker, 90, hours_done=57)
    before = len(mails_to(client.mailbox, await _email_of(client, worker)))
    assert len(await run_reminders(settings, noon(TODAY))) == 1
    assert [note["kind"] for note in await notifications_of(client, worker)] == ["reminder_due"]
    assert len(mails_to(client.mailbox, await _email_of(client, worker))) == before


async def test_in_app_off_sends_only_the_email(client, settings):
    worker = await sign_up(client)
    await set_reminders(client, worker, in_app=False)
    await sssc_due_in(client, worker, 90, hours_done=57)
    assert len(await run_reminders(settings, noon(TODAY))) == 1
    assert await notifications_of(client, worker) == []
    [mail] = [m for m in mails_to(client.mailbox, await _email_of(client, worker)) if "reminder due" in m["Subject"]]
    assert "3 h of CPD" in body_of(mail)


async def test_both_channels_off_sends_nothing(client, settings):
    worker = await sign_up(client)
    await set_reminders(client, worker, in_app=False, email=False)
    await sssc_due_in(client, worker, 90, hours_done=57)
    assert await run_reminders(settings, noon(TODAY)) == []
    assert await notifications_of(client, worker) == []


async def test_reminders_are_emailed_through_smtp(client_for, make_settings, smtp_server, settings):
    controller, inbox = smtp_server
    smtp_settings = make_settings(smtp_host="127.0.0.1", smtp_port=controller.port, smtp_from="cpl@example.org")
    client = await client_for(smtp_settings, mailbox=inbox)
    worker = await sign_up(client)
    await sssc_due_in(client, worker, 7, hours_done=59)
    sent = await run_reminders(smtp_settings, noon(TODAY))
    assert sorted(reminder.kind for reminder in sent) == ["reminder_at_risk", "reminder_due"]
    [mail] = [m for m in mails_to(inbox, await _email_of(client, worker)) if "reminder due" in m["Subject"]]
    assert mail["From"] == "cpl@example.org"
    assert "(in 7 days): 1 h of CPD" in body_of(mail)
