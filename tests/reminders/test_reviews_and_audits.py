"""Supervisors hear of reviews waiting too long; workers and auditors of audit requests near their deadline."""

from __future__ import annotations

from datetime import timedelta

from cpl.reminders import run_reminders
from tests.audit_requests.helpers import ask, regulator
from tests.organisations.helpers import account, team
from tests.reminders.helpers import TODAY, noon, notifications_of
from tests.reviews.helpers import submit


async def test_a_review_waiting_longer_than_the_setting_reminds_the_supervisor_once(client, settings):
    t = await team(client)
    made = await submit(client, t)
    assert await run_reminders(settings, noon(TODAY + timedelta(days=7))) == []  # 7 days: not longer than 7
    [sent] = await run_reminders(settings, noon(TODAY + timedelta(days=8)))
    assert sent.kind == "review_waiting" and str(sent.review) == made["id"]
    assert await run_reminders(settings, noon(TODAY + timedelta(days=9))) == []
    waiting = [note for note in await notifications_of(client, t.supervisor) if note["kind"] == "review_waiting"]
    assert [note["review_id"] for note in waiting] == [made["id"]]
    assert "waited more than 7 days for you" in waiting[0]["message"]
    assert await notifications_of(client, t.worker) == []


async def test_an_audit_request_near_its_deadline_reminds_the_worker_and_the_auditors(client, settings):
    reg = await regulator(client)
    worker, me = await account(client, "Wes Worker")
    await ask(client, reg, me["email"], deadline=(TODAY + timedelta(days=10)).isoformat())
    assert await run_reminders(settings, noon(TODAY)) == []  # 10 days: more than the 7 of the setting
    sent = await run_reminders(settings, noon(TODAY + timedelta(days=3)))
    assert sorted(reminder.kind for reminder in sent) == ["audit_request_due", "audit_request_unanswered"]
    [to_worker] = [note for note in await notifications_of(client, worker) if note["kind"] == "audit_request_due"]
    assert "Health Regulator asked for your HCPC record by" in to_worker["message"]
    [to_auditor] = await notifications_of(client, reg.auditor)
    assert to_auditor["kind"] == "audit_request_unanswered"
    assert me["email"] in to_auditor["message"]
    assert await notifications_of(client, reg.admin) == []
    assert await run_reminders(settings, noon(TODAY + timedelta(days=4))) == []
    assert await run_reminders(settings, noon(TODAY + timedelta(days=11))) == []  # overdue: no more reminders
