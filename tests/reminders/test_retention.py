"""Reminders sent are forgotten 30 days after the day they were about (cpl.reminders.retention),
by the scheduled retention work."""

from __future__ import annotations

from datetime import timedelta

from cpl.privacy import run_retention
from cpl.reminders import run_reminders
from cpl.reminders.tables import ReminderSent
from cpl.storage import open_storage
from tests.factories import sign_up
from tests.reminders.helpers import TODAY, noon, sssc_due_in


def _days(rows: list[dict]) -> list[str]:
    return sorted(row["key"].split(":")[2] for row in rows if row["key"].startswith("due:"))


async def test_reminders_sent_are_purged_thirty_days_after_their_due_day(client, settings):
    for days in (-40, -20, 7):  # due 40 and 20 days ago, and in 7 days: each reminded 7 days before
        worker = await sign_up(client)
        await sssc_due_in(client, worker, days, hours_done=0)
        sent = await run_reminders(settings, noon(TODAY + timedelta(days=days - 7)))
        assert sorted(reminder.kind for reminder in sent) == ["reminder_at_risk", "reminder_due"]
    before = await ReminderSent.select()
    assert len(before) == 6
    expected = [str(TODAY + timedelta(days=days)) for days in (-40, -20, 7)]
    assert _days(before) == expected

    storage = open_storage(settings)
    done = await run_retention(settings, storage)
    assert done["reminders_sent"] == 2  # the due reminder and the at-risk nudge of 40 days ago
    kept = await ReminderSent.select()
    assert _days(kept) == expected[1:]
    assert all(str(TODAY - timedelta(days=40)) not in row["key"] for row in kept)
    assert (await run_retention(settings, storage))["reminders_sent"] == 0
    await storage.close()
