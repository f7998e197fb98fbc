"""The workforce view's stored lines (issue 15, item 7): every change shows on the next read, the
filters and counts stay right, and the lines survive a restart and serve another node."""

from __future__ import annotations

import uuid
from datetime import date

from cpl.workforce.store import lines_to_judge
from tests.competences.helpers import items_by_code
from tests.factories import put_entry
from tests.organisations.helpers import account, join, share, team
from tests.workforce.helpers import day, register, workforce


async def _line(client, t) -> dict:
    [line] = (await workforce(client, t))["items"]
    return line


async def test_entries_shared_and_unshared_show_on_the_next_read(client):
    t = await team(client)
    chosen = await share(client, t.worker, t.organisation_id, entry_ids=[t.entry["id"]])
    assert (await _line(client, t))["shared_entries"] == 1
    await put_entry(client, t.worker, occurred_on=day(2))  # not chosen: not shared
    assert (await _line(client, t))["shared_entries"] == 1
    everything = await share(client, t.worker, t.organisation_id, filter={})
    line = await _line(client, t)
    assert line["shared_entries"] == 2 and line["last_activity"] == day(2)
    assert (await client.delete(f"/v1/shares/{everything['id']}", headers=t.worker)).status_code == 204
    assert (await _line(client, t))["shared_entries"] == 1
    deleted = await client.delete(f"/v1/evidence/{t.entry['id']}", headers=t.worker)
    assert deleted.status_code == 204
    assert (await _line(client, t))["shared_entries"] == 0
    assert (await client.delete(f"/v1/shares/{chosen['id']}", headers=t.worker)).status_code == 204
    assert (await workforce(client, t))["total"] == 0


async def test_registrations_and_links_show_on_the_next_read(client):
    t = await team(client)
    await share(client, t.worker, t.organisation_id, filter={})
    assert (await _line(client, t))["status"] == "no_registration"
    registration_id = await register(client, t.worker)
    [registration] = (await _line(client, t))["registrations"]
    assert registration["registration_id"] == registration_id
    assert not any(item["covered"] for item in registration["mandatory_learning"])
    sssc = await items_by_code(client, t.worker, "SSSC continuous")
    links = {"links": [{"item_id": sssc["CLE.RIGHTS"]["id"], "note": "rights"}]}
    linked = await client.put(f"/v1/evidence/{t.entry['id']}/competences", json=links, headers=t.worker)
    assert linked.status_code == 200, linked.text
    [registration] = (await _line(client, t))["registrations"]
    covered = {item["code"] for item in registration["mandatory_learning"] if item["covered"]}
    assert covered == {"CLE.RIGHTS"}
    gone = await client.delete(f"/v1/me/registrations/{registration_id}", headers=t.worker)
    assert gone.status_code == 204
    line = await _line(client, t)
    assert line["registrations"] == [] and line["status"] == "no_registration"


async def test_a_worker_leaving_drops_out(client):
    t = await team(client)
    await share(client, t.worker, t.organisation_id, filter={})
    assert (await workforce(client, t))["total"] == 1
    removed = await client.delete(f"/v1/organisations/{t.organisation_id}/members/{t.worker_id}", headers=t.admin)
    assert removed.status_code == 204, removed.text
    page = await workforce(client, t)
    assert page["total"] == 0 and page["items"] == [] and set(page["counts"].values()) == {0}


async def test_status_filters_and_counts_follow_changes(client):
    """Two workers, one registration each: counts by status and the status filter move as a
    registration changes; a worker's status under a register filter is the worst kept."""
    t = await team(client)
    await share(client, t.worker, t.organisation_id, filter={})
    nurse, _ = await account(client, "Nia Nurse")
    await join(client, t.admin, t.organisation_id, nurse, "worker")
    await share(client, nurse, t.organisation_id, filter={})
    await register(client, t.worker, renewal_in=1600)
    nurse_registration = await register(client, nurse, register="nmc", part="nurse", renewal_in=700)
    everyone = await workforce(client, t)
    statuses = {line["display_name"]: line["status"] for line in everyone["items"]}
    assert everyone["total"] == 2 and sum(everyone["counts"].values()) == 2
    for status, count in everyone["counts"].items():
        assert count == list(statuses.values()).count(status)
        filtered = await workforce(client, t, status=status)
        assert filtered["total"] == count and filtered["counts"][status] == count
        assert sorted(line["display_name"] for line in filtered["items"]) == sorted(
            name for name, worst in statuses.items() if worst == status
        )

    # The nurse's cycle ended yesterday with nothing done: not met, due within any window.
    body = {"register": "nmc", "registration_number": "12A3456E", "part": "nurse"}
    body |= {"cycle_start": day(3 * 365), "renewal_date": day(1)}
    moved = await client.put(f"/v1/me/registrations/{nurse_registration}", json=body, headers=nurse)
    assert moved.status_code == 200, moved.text
    not_met = await workforce(client, t, status="not_met")
    assert [line["display_name"] for line in not_met["items"]] == ["Nia Nurse"]
    assert not_met["counts"] == {"not_met": 1, "at_risk": 0, "on_track": 0, "met": 0, "no_registration": 0}
    due = await workforce(client, t, due_within=0)
    assert [line["display_name"] for line in due["items"]] == ["Nia Nurse"]
    sssc = await workforce(client, t, register="sssc")
    assert [line["display_name"] for line in sssc["items"]] == ["Wren Worker"]
    assert [r["register"] for r in sssc["items"][0]["registrations"]] == ["sssc"]


async def test_lines_are_stored_for_a_restart_and_other_nodes(client, client_for):
    """A read judges marked lines and stores them; another app on the database (a restarted server,
    another node) answers the same without judging anything again."""
    t = await team(client)
    await register(client, t.worker)
    await share(client, t.worker, t.organisation_id, filter={})
    first = await workforce(client, t)
    organisation = uuid.UUID(t.organisation_id)
    assert await lines_to_judge(organisation, date.today()) == []
    other_node = await client_for()
    assert await workforce(other_node, t) == first
    await put_entry(other_node, t.worker, occurred_on=day(1))
    assert [worker for worker, _ in await lines_to_judge(organisation, date.today())] == [uuid.UUID(t.worker_id)]
    assert (await _line(client, t))["shared_entries"] == 2


async def test_a_line_is_judged_again_for_another_day(client):
    """Statuses depend on the day: a line judged for one day is never shown for another."""
    t = await team(client)
    await register(client, t.worker, register="nmc", part="nurse", renewal_in=30, cycle_days=1000)
    await share(client, t.worker, t.organisation_id, filter={})
    today = await _line(client, t)
    later = (await workforce(client, t, as_of=day(-60)))["items"][0]
    assert later["status"] == "not_met" and today["status"] != "not_met"
    assert (await workforce(client, t, due_within=10))["total"] == 0
    assert (await _line(client, t)) == today
