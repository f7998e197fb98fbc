"""The team view's kept lines: whatever changes, the answer equals the one computed afresh
(``team_cache_workers=0``), and nothing revoked or unshared shows."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from tests.factories import put_entry
from tests.organisations.helpers import join, organisation, share, team
from tests.requirements.helpers import item_ids, link


def _day(days_ago: int) -> str:
    return (date.today() - timedelta(days=days_ago)).isoformat()


@pytest.fixture
async def twin(client_for, settings):
    """A client of an app keeping team lines, and one of an app on the same database keeping none."""
    return await client_for(), await client_for(settings.model_copy(update={"team_cache_workers": 0}))


async def _view(twin, headers, **params) -> dict:
    """The supervisor's only member, asserting the kept answer equals the fresh one."""
    kept, fresh = [(await client.get("/v1/team", params=params, headers=headers)) for client in twin]
    assert kept.status_code == fresh.status_code == 200, kept.text
    assert kept.json() == fresh.json()
    [member] = kept.json()["members"]
    return member


def _rules(member: dict) -> dict[str, str]:
    [registration] = member["registrations"]
    return registration["rules"]


async def _edit(client, headers, entry_id: str, **changes) -> None:
    edited = await client.patch(f"/v1/evidence/{entry_id}", json=changes, headers={**headers, "If-Match": '"1"'})
    assert edited.status_code == 200, edited.text


async def _registration(
    client, headers, registration_id: str, register: str, part: str, cycle_start: str, renewal: str
) -> int:
    body = {
        "register": register,
        "registration_number": "REG-1",
        "part": part,
        "cycle_start": cycle_start,
        "renewal_date": renewal,
    }
    return (await client.put(f"/v1/me/registrations/{registration_id}", json=body, headers=headers)).status_code


async def test_entry_share_and_registration_changes_show_at_once(twin):
    client = twin[0]
    t = await team(client)
    registration_id = str(uuid.uuid4())
    assert await _registration(client, t.worker, registration_id, "sssc", "elc", _day(200), _day(-1600)) == 201
    everything = await share(client, t.worker, t.organisation_id, supervisor_id=t.supervisor_id, filter={})
    before = await _view(twin, t.supervisor)
    assert before["shared_entries"] == 1 and _rules(before)["elc-hours"] != "met"
    assert await _view(twin, t.supervisor) == before  # kept, unchanged

    await _edit(client, t.worker, t.entry["id"], duration_minutes=720)
    edited = await _view(twin, t.supervisor)
    assert edited["shared_entries"] == 1 and _rules(edited)["elc-hours"] == "met"

    assert await _registration(client, t.worker, registration_id, "sssc", "elc", _day(2), _day(-1600)) == 200
    moved = await _view(twin, t.supervisor)
    assert moved["registrations"][0]["cycle_start"] == _day(2) and _rules(moved)["elc-hours"] != "met"

    assert (await client.get("/v1/team", params={"as_of": _day(1)}, headers=t.supervisor)).status_code == 200
    assert (await _view(twin, t.supervisor, as_of=_day(10)))["registrations"][0]["status"] != moved["registrations"][0][
        "status"
    ]

    assert (await client.delete(f"/v1/evidence/{t.entry['id']}", headers=t.worker)).status_code == 204
    assert (await _view(twin, t.supervisor))["shared_entries"] == 0

    await put_entry(client, t.worker, duration_minutes=720, occurred_on=_day(1))
    assert (await _view(twin, t.supervisor))["shared_entries"] == 1
    assert (await client.delete(f"/v1/shares/{everything['id']}", headers=t.worker)).status_code == 204
    revoked = await _view(twin, t.supervisor)
    assert (revoked["shared_entries"], revoked["registrations"]) == (0, [])


async def test_a_chosen_entries_share_counts_only_its_entries_until_revoked(twin):
    client = twin[0]
    t = await team(client)
    assert await _registration(client, t.worker, str(uuid.uuid4()), "sssc", "elc", _day(200), _day(-1600)) == 201
    unshared = await put_entry(client, t.worker, duration_minutes=720, occurred_on=_day(3))
    chosen = await share(client, t.worker, t.organisation_id, supervisor_id=t.supervisor_id, entry_ids=[t.entry["id"]])
    first = await _view(twin, t.supervisor)
    assert first["shared_entries"] == 1 and _rules(first)["elc-hours"] != "met"
    await _edit(client, t.worker, unshared["id"], duration_minutes=710)
    assert await _view(twin, t.supervisor) == first  # an unshared entry's change shows nothing
    second = await share(client, t.worker, t.organisation_id, supervisor_id=t.supervisor_id, entry_ids=[unshared["id"]])
    both = await _view(twin, t.supervisor)
    assert both["shared_entries"] == 2 and _rules(both)["elc-hours"] == "met"
    assert (await client.delete(f"/v1/shares/{second['id']}", headers=t.worker)).status_code == 204
    assert await _view(twin, t.supervisor) == first
    assert (await client.delete(f"/v1/shares/{chosen['id']}", headers=t.worker)).status_code == 204
    assert (await _view(twin, t.supervisor))["registrations"] == []


async def test_framework_links_move_entries_into_a_framework_share(twin):
    client = twin[0]
    t = await team(client)
    assert await _registration(client, t.worker, str(uuid.uuid4()), "sssc", "elc", _day(200), _day(-1600)) == 201
    framework = (await client.get("/v1/frameworks", headers=t.worker)).json()
    sssc = next(item["id"] for item in framework if item["title"].startswith("SSSC continuous professional learning"))
    await share(client, t.worker, t.organisation_id, supervisor_id=t.supervisor_id, filter={"framework_id": sssc})
    assert (await _view(twin, t.supervisor))["shared_entries"] == 0
    items = await item_ids(client, t.worker, "sssc-cpl")
    await link(client, t.worker, t.entry["id"], next(iter(items.values())))
    linked = await _view(twin, t.supervisor)
    assert linked["shared_entries"] == 1
    await link(client, t.worker, t.entry["id"])
    assert (await _view(twin, t.supervisor))["shared_entries"] == 0


async def test_a_peer_discussion_recorded_later_counts(twin):
    client = twin[0]
    t = await team(client)
    assert await _registration(client, t.worker, str(uuid.uuid4()), "nmc", "nurse", _day(400), _day(-690)) == 201
    discussion = await put_entry(client, t.worker, kind="reflective_discussion", occurred_on=_day(4))
    await share(client, t.worker, t.organisation_id, supervisor_id=t.supervisor_id, filter={})
    assert _rules(await _view(twin, t.supervisor))["reflective-discussion"] != "met"
    path = f"/v1/evidence/{discussion['id']}/peer-discussion"
    assert (await client.put(path, json={"name": "Sam Peer"}, headers=t.worker)).status_code == 201
    assert _rules(await _view(twin, t.supervisor))["reflective-discussion"] != "met"
    assert (await client.put(path, json={"name": "Sam Peer", "pin": "98Y1234E"}, headers=t.worker)).status_code == 200
    assert _rules(await _view(twin, t.supervisor))["reflective-discussion"] == "met"
    assert (await client.delete(path, headers=t.worker)).status_code == 204
    assert _rules(await _view(twin, t.supervisor))["reflective-discussion"] != "met"


async def test_a_supervisor_leaving_the_organisation_shared_with_sees_nothing_more(twin):
    """The worker shares with a second organisation, not with the supervisor: once the
    supervisor leaves it, that share grants them nothing, though they still supervise the worker."""
    client = twin[0]
    t = await team(client)
    assert await _registration(client, t.worker, str(uuid.uuid4()), "sssc", "elc", _day(200), _day(-1600)) == 201
    hillside = await organisation(client, t.admin, name="Hillside Care")
    await join(client, t.admin, hillside, t.supervisor, "supervisor")
    await join(client, t.admin, hillside, t.worker, "worker")
    await share(client, t.worker, hillside, filter={})
    seen = await _view(twin, t.supervisor)
    assert seen["shared_entries"] == 1 and seen["registrations"]
    assert (await client.post(f"/v1/organisations/{hillside}/leave", headers=t.supervisor)).status_code == 204
    left = await _view(twin, t.supervisor)
    assert (left["worker_id"], left["shared_entries"], left["registrations"]) == (t.worker_id, 0, [])
