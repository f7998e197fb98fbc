"""The team view: each supervisee's progress counted over what they share with the supervisor."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from tests.factories import put_entry
from tests.organisations.helpers import account, join, share, supervise, team


def _day(days_ago: int) -> str:
    return (date.today() - timedelta(days=days_ago)).isoformat()


async def _register_elc(client, headers) -> None:
    """SSSC early learning and childcare: 12 hours of learning a year (DOMAIN.md)."""
    body = {
        "register": "sssc",
        "registration_number": "SSSC-1",
        "part": "elc",
        "cycle_start": _day(200),
        "renewal_date": _day(-1600),
    }
    assert (await client.put(f"/v1/me/registrations/{uuid.uuid4()}", json=body, headers=headers)).status_code == 201


def _statuses(progress: list[dict]) -> dict[str, str]:
    return {rule["id"]: rule["status"] for registration in progress for rule in registration["rules"]}


async def test_progress_counts_only_what_is_shared(client):
    t = await team(client)
    await _register_elc(client, t.worker)
    shared = await put_entry(client, t.worker, duration_minutes=360, occurred_on=_day(5))
    await put_entry(client, t.worker, duration_minutes=600, occurred_on=_day(6))
    own = _statuses((await client.get("/v1/me/progress", headers=t.worker)).json()["registrations"])
    await share(client, t.worker, t.organisation_id, supervisor_id=t.supervisor_id, entry_ids=[shared["id"]])
    [member] = (await client.get("/v1/team", headers=t.supervisor)).json()["members"]
    assert member["worker_id"] == t.worker_id and member["shared_entries"] == 1
    [registration] = member["registrations"]
    assert registration["register"] == "sssc" and "registration_number" not in registration
    differing = [rule for rule, status in registration["rules"].items() if own[rule] != status]
    assert differing, (own, registration["rules"])
    await share(client, t.worker, t.organisation_id, supervisor_id=t.supervisor_id, filter={})
    [member] = (await client.get("/v1/team", headers=t.supervisor)).json()["members"]
    assert member["registrations"][0]["rules"] == own and member["shared_entries"] == 3


async def test_a_supervisee_who_shares_nothing_shows_only_their_name(client):
    t = await team(client)
    await _register_elc(client, t.worker)
    colleague, colleague_me = await account(client, "Cal Colleague")
    await join(client, t.admin, t.organisation_id, colleague, "worker")
    await supervise(client, t.admin, t.organisation_id, t.supervisor_id, colleague_me["id"])
    members = (await client.get("/v1/team", headers=t.supervisor)).json()["members"]
    assert [(m["display_name"], m["shared_entries"], m["registrations"]) for m in members] == [
        ("Cal Colleague", 0, []),
        ("Wren Worker", 0, []),
    ]
    assert (await client.get("/v1/team", headers=t.worker)).json()["members"] == []
