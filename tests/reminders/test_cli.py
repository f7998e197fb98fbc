"""``cpl reminders run``: by hand, it prints what it sent; two at once on one database send each reminder once."""

from __future__ import annotations

import asyncio

from tests.audit.helpers import cpl
from tests.factories import sign_up
from tests.reminders.helpers import all_notifications, notifications_of, set_reminders, sssc_due_in


async def test_two_processes_running_reminders_at_once_send_each_once(client, settings):
    workers = [await sign_up(client) for _ in range(4)]
    for worker in workers:
        # no quiet hours, days counted in UTC: the processes run on the real clock
        await set_reminders(client, worker, time_zone="UTC", quiet_from="00:00", quiet_until="00:00")
        await sssc_due_in(client, worker, 90, hours_done=57)
    runs = await asyncio.gather(cpl(settings, "reminders", "run"), cpl(settings, "reminders", "run"))
    assert [code for code, _, _ in runs] == [0, 0], runs
    lines = [line for _, out, _ in runs for line in out.splitlines() if line.startswith("reminder_due to ")]
    assert len(lines) == 4
    assert all("(in 90 days): 3 h of CPD" in line for line in lines)
    assert sorted(int(out.splitlines()[-1].split()[0]) for _, out, _ in runs) in ([0, 4], [1, 3], [2, 2])
    assert len(await all_notifications()) == 4
    for worker in workers:
        assert [note["kind"] for note in await notifications_of(client, worker)] == ["reminder_due"]
    code, out, _ = await cpl(settings, "reminders", "run")
    assert (code, out) == (0, "0 reminder(s) sent\n")
