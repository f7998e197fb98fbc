"""The workforce view (issue 15, item 2): counted only over what workers share with the organisation."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date, timedelta

from tests.factories import put_entry, sign_up
from tests.organisations.helpers import account, join, share, team


def _day(days_ago: int) -> str:
    return (date.today() - timedelta(days=days_ago)).isoformat()


async def _register(client, headers, register: str = "sssc", part: str = "elc", renewal_in: int = 1600) -> None:
    """SSSC early learning and childcare: the core learning elements and 12 hours a year (DOMAIN.md)."""
    body = {
        "register": register,
        "registration_number": "SSSC-1" if register == "sssc" else "12A3456E",
        "part": part,
        "cycle_start": _day(200),
        "renewal_date": _day(-renewal_in),
    }
    assert (await client.put(f"/v1/me/registrations/{uuid.uuid4()}", json=body, headers=headers)).status_code == 201


def _url(organisation_id: str, suffix: str = "") -> str:
    return f"/v1/organisations/{organisation_id}/workforce{suffix}"


async def _worker(client, t, name: str) -> tuple[dict, str]:
    headers, me = await account(client, name)
    await join(client, t.admin, t.organisation_id, headers, "worker")
    return headers, me["id"]


async def test_counts_only_what_workers_share_with_the_organisation(client):
    t = await team(client)
    await _register(client, t.worker)
    shared = await put_entry(client, t.worker, duration_minutes=360, occurred_on=_day(5))
    await put_entry(client, t.worker, duration_minutes=600, occurred_on=_day(6))
    own = (await client.get("/v1/me/progress", headers=t.worker)).json()["registrations"][0]
    quiet, _ = await _worker(client, t, "Quinn Quiet")
    await put_entry(client, quiet)
    await share(client, t.worker, t.organisation_id, supervisor_id=t.supervisor_id, filter={})
    empty = (await client.get(_url(t.organisation_id), headers=t.admin)).json()
    assert empty["total"] == 0 and empty["items"] == [] and set(empty["counts"].values()) == {0}

    await share(client, t.worker, t.organisation_id, entry_ids=[shared["id"]])
    page = (await client.get(_url(t.organisation_id), headers=t.admin)).json()
    assert page["total"] == 1
    [worker] = page["items"]
    assert worker["worker_id"] == t.worker_id and worker["shared_entries"] == 1
    assert worker["last_activity"] == _day(5)
    assert [s["display_name"] for s in worker["supervisors"]] == ["Sam Supervisor"]
    [registration] = worker["registrations"]
    assert "registration_number" not in registration
    own_rules = {rule["id"]: rule["status"] for rule in own["rules"]}
    assert own_rules["elc-hours"] != registration["rules"]["elc-hours"]
    codes = {item["code"]: item["covered"] for item in registration["mandatory_learning"]}
    assert {"CLE.RIGHTS", "CLE.COMMS.TRAUMA", "CLE.PROTECT.ADULT"} <= set(codes) and not any(codes.values())
    assert page["counts"][worker["status"]] == 1 and sum(page["counts"].values()) == 1

    await share(client, t.worker, t.organisation_id, filter={})
    [worker] = (await client.get(_url(t.organisation_id), headers=t.admin)).json()["items"]
    assert worker["shared_entries"] == 3 and worker["registrations"][0]["rules"]["elc-hours"] == own_rules["elc-hours"]
    await client.get(_url(t.organisation_id, ".csv"), headers=t.admin)
    log = (await client.get("/v1/me/access-log", headers=t.worker)).json()["items"]
    # Two pages showed the worker (the empty one did not), then the CSV; the quiet worker shares nothing.
    assert [(item["action"], item["role"]) for item in log] == [("workforce.viewed", "admin")] * 3
    quiet_log = (await client.get("/v1/me/access-log", headers=quiet)).json()["items"]
    assert quiet_log == []


async def test_filters_counts_and_pages(client):
    t = await team(client)
    await _register(client, t.worker, renewal_in=1600)
    await share(client, t.worker, t.organisation_id, filter={})
    nurse, nurse_id = await _worker(client, t, "Nia Nurse")
    await _register(client, nurse, register="nmc", part="nurse", renewal_in=20)
    await share(client, nurse, t.organisation_id, filter={})
    bare, bare_id = await _worker(client, t, "Bea Bare")
    await share(client, bare, t.organisation_id, filter={})
    url = _url(t.organisation_id)

    everyone = (await client.get(url, headers=t.admin)).json()
    assert [w["display_name"] for w in everyone["items"]] == ["Bea Bare", "Nia Nurse", "Wren Worker"]
    assert everyone["total"] == 3 and everyone["counts"]["no_registration"] == 1
    nmc = (await client.get(url, params={"register": "nmc"}, headers=t.admin)).json()
    assert [w["worker_id"] for w in nmc["items"]] == [nurse_id] and nmc["total"] == 1
    [nurse_line] = nmc["items"]
    assert nurse_line["registrations"][0]["due_on"] == _day(-20)
    assert nmc["counts"][nurse_line["status"]] == 1
    status = (await client.get(url, params={"status": nurse_line["status"]}, headers=t.admin)).json()
    assert nurse_id in [w["worker_id"] for w in status["items"]]
    bare_only = (await client.get(url, params={"status": "no_registration"}, headers=t.admin)).json()
    assert [w["worker_id"] for w in bare_only["items"]] == [bare_id]
    due = (await client.get(url, params={"due_within": 30}, headers=t.admin)).json()
    assert nurse_id in [w["worker_id"] for w in due["items"]] and bare_id not in [w["worker_id"] for w in due["items"]]
    supervised = (await client.get(url, params={"team": t.supervisor_id}, headers=t.admin)).json()
    assert [w["worker_id"] for w in supervised["items"]] == [t.worker_id]

    first = (await client.get(url, params={"limit": 2}, headers=t.admin)).json()
    assert len(first["items"]) == 2 and first["total"] == 3 and first["next_cursor"]
    second = (await client.get(url, params={"limit": 2, "cursor": first["next_cursor"]}, headers=t.admin)).json()
    assert [w["display_name"] for w in second["items"]] == ["Wren Worker"] and second["next_cursor"] is None


async def test_bad_filters_are_refused_naming_the_parameter(client):
    """Well-formed but wrong values are 422 (cpl.problems' rule for every route), a forged cursor 400."""
    t = await team(client)
    url = _url(t.organisation_id)
    for params, name in [
        ({"status": "great"}, "status"),
        ({"register": "nope"}, "register"),
        ({"due_within": "-1"}, "due_within"),
        ({"due_within": "soon"}, "due_within"),
        ({"team": "not-a-uuid"}, "team"),
        ({"limit": "0"}, "limit"),
    ]:
        refused = await client.get(url, params=params, headers=t.admin)
        assert refused.status_code == 422, (params, refused.text)
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert name in [error["field"] for error in refused.json()["errors"]], refused.json()
        csv_refused = await client.get(_url(t.organisation_id, ".csv"), params=params, headers=t.admin)
        assert csv_refused.status_code == (200 if "limit" in params else 422), (params, csv_refused.text)
    forged = await client.get(url, params={"cursor": "nonsense"}, headers=t.admin)
    assert forged.status_code == 400


async def test_only_the_organisations_admins_with_a_second_factor(client):
    t = await team(client)
    stranger = await sign_up(client, display_name="Stan Stranger")
    for headers, status in [(t.worker, 403), (t.supervisor, 403), (stranger, 404)]:
        for suffix in ("", ".csv"):
            assert (await client.get(_url(t.organisation_id, suffix), headers=headers)).status_code == status
    fresh_admin, _ = await account(client, "Fay Fresh")
    created = await client.post("/v1/organisations", json={"name": "New", "kind": "employer"}, headers=fresh_admin)
    refused = await client.get(_url(created.json()["id"]), headers=fresh_admin)
    assert refused.status_code == 403
    assert refused.json()["type"] == "urn:cpl:problem:second-factor-required"


async def test_csv_has_the_whole_filtered_set_and_no_formulas(client):
    t = await team(client)
    await _register(client, t.worker)
    await put_entry(client, t.worker, duration_minutes=90, occurred_on=_day(3))
    await share(client, t.worker, t.organisation_id, filter={})
    sly, sly_id = await _worker(client, t, '=HYPERLINK("http://x")')
    await share(client, sly, t.organisation_id, filter={})
    answer = await client.get(_url(t.organisation_id, ".csv"), headers=t.admin)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    by_id = {row["worker_id"]: row for row in rows}
    assert set(by_id) == {t.worker_id, sly_id}
    assert by_id[sly_id]["worker_name"].startswith("'=") and by_id[sly_id]["worker_status"] == "no_registration"
    mine = by_id[t.worker_id]
    assert mine["register"] == "sssc" and mine["shared_entries"] == "2" and mine["last_activity"] == _day(3)
    assert "CLE.RIGHTS" in mine["mandatory_missing"] and mine["supervisors"] == "Sam Supervisor"
    page = (await client.get(_url(t.organisation_id), headers=t.admin)).json()
    assert mine["status"] == page["items"][1]["registrations"][0]["status"]
    only = await client.get(_url(t.organisation_id, ".csv"), params={"register": "sssc"}, headers=t.admin)
    assert [row["worker_id"] for row in csv.DictReader(io.StringIO(only.text))] == [t.worker_id]


async def test_the_view_follows_every_change_at_once(client):
    """Lines are kept between requests; a write, a changed registration or a revoked share shows in
    the next answer (the kept lines are only an optimisation)."""
    t = await team(client)
    await _register(client, t.worker)
    url = _url(t.organisation_id)
    made = await share(client, t.worker, t.organisation_id, filter={})
    [line] = (await client.get(url, headers=t.admin)).json()["items"]
    assert line["shared_entries"] == 1
    await put_entry(client, t.worker, occurred_on=_day(1))
    [line] = (await client.get(url, headers=t.admin)).json()["items"]
    assert line["shared_entries"] == 2 and line["last_activity"] == _day(1)
    registration = (await client.get("/v1/me/registrations", headers=t.worker)).json()[0]
    moved = {**{k: registration[k] for k in ("register", "registration_number", "part", "cycle_start")}}
    moved["renewal_date"] = _day(-10)
    updated = await client.put(f"/v1/me/registrations/{registration['id']}", json=moved, headers=t.worker)
    assert updated.status_code == 200, updated.text
    [line] = (await client.get(url, headers=t.admin)).json()["items"]
    assert line["registrations"][0]["renewal_date"] == _day(-10)
    assert (await client.delete(f"/v1/shares/{made['id']}", headers=t.worker)).status_code == 204
    assert (await client.get(url, headers=t.admin)).json()["total"] == 0
