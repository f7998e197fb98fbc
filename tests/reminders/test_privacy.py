"""What reminders hold of a person is in their copy of their data, and gone when they are erased."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest

from cpl.reminders import run_reminders
from cpl.reminders.tables import CalendarFeed, ReminderCheck, ReminderSent, ReminderSettings
from tests.factories import sign_up
from tests.privacy.helpers import erase, wait_for_data_export
from tests.reminders.helpers import TODAY, noon, set_reminders, sssc_due_in


@pytest.fixture
async def quick(client_for, make_settings):
    settings = make_settings(privacy_job_interval=timedelta(milliseconds=100))
    return settings, await client_for(settings)


async def _reminded(client, settings) -> dict:
    worker = await sign_up(client)
    await set_reminders(client, worker, days_before=[90, 7])
    await sssc_due_in(client, worker, 90, hours_done=57)
    assert len(await run_reminders(settings, noon(TODAY))) == 1
    assert (await client.post("/v1/me/calendar-feed", headers=worker)).status_code == 201
    return worker


async def test_the_data_copy_has_a_reminders_section(quick):
    settings, client = quick
    worker = await _reminded(client, settings)
    started = await client.post("/v1/me/data-export", headers=worker)
    done = await wait_for_data_export(client, worker, started.json()["id"])
    response = await client.get(done["download_url"], headers=worker)
    data = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("data.json"))
    records = {record["record"]: record for record in data["reminders"]}
    assert records["settings"]["days_before"] == [90, 7]
    assert records["sent"]["kind"] == "reminder_due" and records["sent"]["key"].startswith("due:")
    assert "created_at" in records["calendar_feed"]


async def test_erasure_removes_settings_reminders_sent_checks_and_the_feed(quick):
    settings, client = quick
    worker = await _reminded(client, settings)
    me = (await client.get("/v1/me", headers=worker)).json()["id"]
    url = (await client.post("/v1/me/calendar-feed", headers=worker)).json()["url"]
    await erase(client, worker)
    assert await ReminderSettings.count().where(ReminderSettings.owner == me) == 0
    assert await ReminderSent.count().where(ReminderSent.recipient == me) == 0
    assert await ReminderCheck.count().where(ReminderCheck.owner == me) == 0
    assert await CalendarFeed.count().where(CalendarFeed.owner == me) == 0
    assert (await client.get("/" + url.split("://", 1)[1].split("/", 1)[1])).status_code == 404
