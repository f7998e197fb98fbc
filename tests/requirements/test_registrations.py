"""Registrations through the API: create, replace, list, delete, validation, and nobody
seeing anyone else's."""

from __future__ import annotations

import uuid

import pytest

from cpl.requirements.tables import PeerDiscussion
from tests.factories import put_entry, sign_up
from tests.requirements.helpers import register_on

VALID = {
    "register": "nmc",
    "registration_number": "12A3456E",
    "part": "nurse",
    "cycle_start": "2023-04-01",
    "renewal_date": "2026-04-01",
}


async def test_put_creates_replaces_and_replays(client, worker):
    path = f"/v1/me/registrations/{uuid.uuid4()}"
    created = await client.put(path, json=VALID, headers=worker)
    assert created.status_code == 201, created.text
    assert created.json()["pack_edition"] == ""
    replay = await client.put(path, json=VALID, headers=worker)
    assert replay.status_code == 200
    assert replay.json() == created.json()
    changed = await client.put(
        path, json={**VALID, "part": "nurse_and_midwife", "pack_edition": "2016"}, headers=worker
    )
    assert changed.status_code == 200
    assert changed.json()["part"] == "nurse_and_midwife"
    listed = await client.get("/v1/me/registrations", headers=worker)
    assert [item["part"] for item in listed.json()] == ["nurse_and_midwife"]
    assert (await client.get(path, headers=worker)).json()["pack_edition"] == "2016"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"register": "gmc"}, "register"),
        ({"register": "NMC!"}, "register"),
        ({"part": "doctor"}, "part"),
        ({"pack_edition": "1999"}, "pack_edition"),
        ({"renewal_date": "2023-04-01"}, "body"),
        ({"renewal_date": "2023-03-31"}, "body"),
        ({"cycle_start": "1949-12-31"}, "body"),
        ({"cycle_start": "2023-02-30"}, "cycle_start"),
        ({"registration_number": ""}, "registration_number"),
        ({"surprise": 1}, "surprise"),
        # NMC revalidation is every 3 years: a cycle of 70 years (or of 3 years and a day) is not one
        ({"renewal_date": "2093-04-01"}, "renewal_date"),
        ({"renewal_date": "2026-04-02"}, "renewal_date"),
        ({"register": "hcpc", "part": "paramedic", "renewal_date": "2025-04-02"}, "renewal_date"),
        ({"register": "sssc", "part": "elc", "renewal_date": "2028-04-02"}, "renewal_date"),
    ],
)
async def test_bad_registrations_are_refused_and_change_nothing(client, worker, change, field):
    response = await client.put(f"/v1/me/registrations/{uuid.uuid4()}", json={**VALID, **change}, headers=worker)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert any(error["field"].startswith(field) for error in response.json()["errors"]), response.json()
    assert (await client.get("/v1/me/registrations", headers=worker)).json() == []


async def test_a_gap_explanation_must_lie_within_the_registrations_cycle(client, worker):
    registration = await register_on(client, worker, "hcpc", "paramedic", "2024-01-01", "2026-01-01")
    explanations = f"/v1/me/registrations/{registration['id']}/gap-explanations"
    for starts_on, ends_on, field in (
        ("2023-11-01", "2024-02-01", "starts_on"),
        ("2025-11-01", "2026-02-01", "ends_on"),
        ("1990-01-01", "1990-06-01", "starts_on"),
    ):
        body = {"starts_on": starts_on, "ends_on": ends_on, "reason": "Parental leave"}
        refused = await client.put(f"{explanations}/{uuid.uuid4()}", json=body, headers=worker)
        assert refused.status_code == 422, refused.text
        assert [error["field"] for error in refused.json()["errors"]] == [field]
    assert (await client.get(explanations, headers=worker)).json() == []
    body = {"starts_on": "2024-01-01", "ends_on": "2026-01-01", "reason": "Parental leave"}
    assert (await client.put(f"{explanations}/{uuid.uuid4()}", json=body, headers=worker)).status_code == 201


async def test_a_part_of_another_edition_must_fit_the_pinned_edition(client, worker):
    body = {**VALID, "register": "swe", "part": "social_worker", "pack_edition": "2019"}
    response = await client.put(f"/v1/me/registrations/{uuid.uuid4()}", json=body, headers=worker)
    assert response.status_code == 201, response.text


async def test_delete_forgets_the_registration_and_keeps_evidence(client, worker):
    registration = await register_on(client, worker, "hcpc", "paramedic", "2024-01-01", "2026-01-01")
    entry = await put_entry(client, worker)
    path = f"/v1/me/registrations/{registration['id']}"
    assert (await client.delete(path, headers=worker)).status_code == 204
    assert (await client.get(path, headers=worker)).status_code == 404
    assert (await client.delete(path, headers=worker)).status_code == 404
    assert (await client.get(f"/v1/evidence/{entry['id']}", headers=worker)).status_code == 200


async def test_nobody_sees_or_touches_another_workers_registrations(client, worker):
    registration = await register_on(client, worker, "hcpc", "paramedic", "2024-01-01", "2026-01-01")
    other = await sign_up(client)
    path = f"/v1/me/registrations/{registration['id']}"
    assert (await client.get(path, headers=other)).status_code == 404
    assert (await client.put(path, json=VALID, headers=other)).status_code == 404
    assert (await client.delete(path, headers=other)).status_code == 404
    assert (await client.get(f"{path}/audit-profile", headers=other)).status_code == 404
    assert (await client.get(f"{path}/gap-explanations", headers=other)).status_code == 404
    explanation = {"starts_on": "2024-02-01", "ends_on": "2024-06-01", "reason": "Parental leave"}
    assert (
        await client.put(f"{path}/gap-explanations/{uuid.uuid4()}", json=explanation, headers=other)
    ).status_code == 404
    assert (await client.get("/v1/me/registrations", headers=other)).json() == []
    assert (await client.get("/v1/me/progress", headers=other)).json()["registrations"] == []
    assert (await client.get(path, headers=worker)).json()["registration_number"] == "REG-1"


async def test_gap_explanations_are_recorded_replaced_and_deleted(client, worker):
    registration = await register_on(client, worker, "hcpc", "paramedic", "2024-01-01", "2026-01-01")
    base = f"/v1/me/registrations/{registration['id']}/gap-explanations"
    path = f"{base}/{uuid.uuid4()}"
    body = {"starts_on": "2024-02-01", "ends_on": "2024-06-01", "reason": "Parental leave"}
    assert (await client.put(path, json=body, headers=worker)).status_code == 201
    replaced = await client.put(path, json={**body, "ends_on": "2024-07-01"}, headers=worker)
    assert replaced.status_code == 200
    assert [item["ends_on"] for item in (await client.get(base, headers=worker)).json()] == ["2024-07-01"]
    backwards = await client.put(f"{base}/{uuid.uuid4()}", json={**body, "ends_on": "2024-01-01"}, headers=worker)
    assert backwards.status_code == 422
    blank = await client.put(f"{base}/{uuid.uuid4()}", json={**body, "reason": "  "}, headers=worker)
    assert blank.status_code == 422
    assert (await client.delete(path, headers=worker)).status_code == 204
    assert (await client.delete(path, headers=worker)).status_code == 404
    assert (await client.get(base, headers=worker)).json() == []


async def test_peer_discussions_belong_to_the_entrys_owner(client, worker):
    entry = await put_entry(client, worker, kind="reflective_discussion")
    path = f"/v1/evidence/{entry['id']}/peer-discussion"
    assert (await client.get(path, headers=worker)).status_code == 404
    body = {"name": "Sam Peer", "pin": "98y1234e", "email": "sam@example.org"}
    created = await client.put(path, json=body, headers=worker)
    assert created.status_code == 201, created.text
    assert created.json()["pin"] == "98Y1234E"
    assert (await client.put(path, json={**body, "learning": "To ask sooner."}, headers=worker)).status_code == 200
    assert (await client.get(path, headers=worker)).json()["learning"] == "To ask sooner."
    assert (await client.put(path, json={**body, "pin": "12-34"}, headers=worker)).status_code == 422
    other = await sign_up(client)
    assert (await client.get(path, headers=other)).status_code == 404
    assert (await client.put(path, json=body, headers=other)).status_code == 404
    assert (await client.delete(path, headers=other)).status_code == 404
    assert (await client.delete(f"/v1/evidence/{entry['id']}", headers=worker)).status_code == 204
    assert (await client.get(path, headers=worker)).status_code == 410
    # The peer's name and PIN are erased with the entry, not merely hidden.
    assert await PeerDiscussion.count().where(PeerDiscussion.entry == entry["id"]) == 0


async def test_progress_refuses_a_day_it_cannot_read(client, worker):
    unreadable = await client.get("/v1/me/progress", params={"as_of": "2024-13-01"}, headers=worker)
    assert unreadable.status_code == 422, unreadable.text
    assert unreadable.headers["content-type"].startswith("application/problem+json")
    too_early = await client.get("/v1/me/progress", params={"as_of": "1900-01-01"}, headers=worker)
    assert too_early.status_code == 422
    assert too_early.json()["errors"] == [{"field": "as_of", "message": "must be between 1950-01-01 and 2200-12-31"}]


async def test_a_registrations_status_is_its_worst_rules(client, worker):
    await register_on(client, worker, "swe", "social_worker", "2019-12-02", "2025-11-30")
    await put_entry(client, worker, occurred_on="2024-05-01")
    await put_entry(client, worker, occurred_on="2024-06-01")
    body = (await client.get("/v1/me/progress", params={"as_of": "2024-11-30"}, headers=worker)).json()
    registration = body["registrations"][0]
    assert {rule["id"]: rule["status"] for rule in registration["rules"]} == {
        "cpd-records": "met",
        "peer-reflection": "at_risk",
    }
    assert registration["status"] == "at_risk"
