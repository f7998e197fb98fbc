"""Registration reminders worked out from the real packs, at their boundaries, sent once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from cpl.reminders import run_reminders
from tests.factories import entry_body, sign_up
from tests.reminders.helpers import TODAY, all_notifications, noon, notifications_of, spanning, sssc_due_in


async def test_due_in_ninety_days_exactly_is_reminded_with_what_is_missing_and_ninety_one_is_not(client, settings):
    worker = await sign_up(client)
    await sssc_due_in(client, worker, 90, hours_done=57)
    assert await run_reminders(settings, noon(TODAY - timedelta(days=1))) == []  # 91 days before
    assert await notifications_of(client, worker) == []
    [sent] = await run_reminders(settings, noon(TODAY))
    assert sent.kind == "reminder_due"
    [note] = await notifications_of(client, worker)
    assert note["kind"] == "reminder_due"
    assert note["message"] == (
        f"Your SSSC continuous professional learning by hours (before June 2024) is due on "
        f"{(TODAY + timedelta(days=90)).day} {(TODAY + timedelta(days=90)).strftime('%B %Y')} (in 90 days): "
        "3 h of CPD, reflective writing or reflective discussion to go."
    )


async def test_the_next_reminder_goes_at_thirty_days_and_each_only_once(client, settings):
    worker = await sign_up(client)
    await sssc_due_in(client, worker, 30, hours_done=59)
    assert len(await run_reminders(settings, noon(TODAY))) == 1
    assert await run_reminders(settings, noon(TODAY)) == []
    assert await run_reminders(settings, noon(TODAY, 15)) == []
    [note] = await notifications_of(client, worker)
    assert "(in 30 days): 1 h of CPD" in note["message"]


async def test_everything_met_sends_nothing(client, settings):
    worker = await sign_up(client)
    await sssc_due_in(client, worker, 90, hours_done=60)
    for day in (TODAY, TODAY + timedelta(days=60), TODAY + timedelta(days=83)):
        assert await run_reminders(settings, noon(day)) == []
    assert await notifications_of(client, worker) == []


async def test_a_rule_turning_at_risk_is_nudged_once(client, settings):
    worker = await sign_up(client)
    made = await sssc_due_in(client, worker, 200, hours_done=58)
    assert await run_reminders(settings, noon(TODAY)) == []  # on track, no reminder day yet
    etag = (await client.get(f"/v1/evidence/{made['entry_id']}", headers=worker)).headers["etag"]
    changed = await client.put(
        f"/v1/evidence/{made['entry_id']}", json=entry_body(**spanning(20)), headers={**worker, "If-Match": etag}
    )
    assert changed.status_code == 200, changed.text
    [sent] = await run_reminders(settings, noon(TODAY))
    assert sent.kind == "reminder_at_risk"
    assert await run_reminders(settings, noon(TODAY, 16)) == []
    [note] = await notifications_of(client, worker)
    assert note["kind"] == "reminder_at_risk"
    assert "falling behind on “60 hours (10 days) of CPL in the registration period”" in note["message"]
    assert "40 h of CPD, reflective writing or reflective discussion to go" in note["message"]


async def test_two_runs_at_once_send_each_reminder_once(client, settings):
    workers = [await sign_up(client) for _ in range(3)]
    for worker in workers:
        await sssc_due_in(client, worker, 7, hours_done=50)
    first, second = await asyncio.gather(run_reminders(settings, noon(TODAY)), run_reminders(settings, noon(TODAY)))
    # each worker: the 7-day reminder and the at-risk nudge, sent by one run or the other
    assert len(first) + len(second) == 6
    assert len(await all_notifications()) == 6
    assert {key for reminder in first + second for key in reminder.keys} == {
        key for reminder in first for key in reminder.keys
    } | {key for reminder in second for key in reminder.keys}
