"""``GET /v1/me/registrations/{id}/audit-profile``: what each regulator would ask for."""

from __future__ import annotations

import uuid

from tests.requirements.helpers import item_ids, link, log, register_on

REFLECTION = {
    "what_happened": "A family meeting went badly.",
    "what_i_learned": "Agree the agenda first.",
    "how_it_changes_practice": "I send the agenda a week ahead.",
}

UNREFLECTED = {"what_happened": "", "what_i_learned": "", "how_it_changes_practice": ""}


async def _profile(client, worker, registration: dict, as_of: str) -> dict:
    response = await client.get(
        f"/v1/me/registrations/{registration['id']}/audit-profile", params={"as_of": as_of}, headers=worker
    )
    assert response.status_code == 200, response.text
    return response.json()


async def test_nmc_revalidation_record(client, worker):
    registration = await register_on(client, worker, "nmc", "nurse", "2023-01-10", "2026-01-10")
    code = await item_ids(client, worker, "nmc-code")
    course = await log(client, worker, "2024-02-01", minutes=420, participatory=True)
    await link(client, worker, course["id"], code["NMC.17"])
    await log(client, worker, "2024-03-01", minutes=12_000, kind="practice_hours", ended_on="2024-03-31")
    await log(client, worker, "2024-04-01", kind="feedback")
    account = await log(client, worker, "2024-05-01", kind="reflective_account", reflection=REFLECTION)
    await link(client, worker, account["id"], code["NMC.1"])
    discussion = await log(client, worker, "2025-01-05", kind="reflective_discussion")
    peer = {"name": "Sam Peer", "pin": "98Y1234E", "email": "sam@example.org", "address": "1 Ward Road"}
    await client.put(f"/v1/evidence/{discussion['id']}/peer-discussion", json=peer, headers=worker)
    deleted = await log(client, worker, "2024-06-01", minutes=600)
    await client.delete(f"/v1/evidence/{deleted['id']}", headers=worker)
    profile = await _profile(client, worker, registration, "2025-06-01")
    assert (profile["profile"], profile["register"], profile["edition"]) == ("nmc", "nmc", "2016")
    assert [item["id"] for item in profile["cpd_log"]] == [course["id"]]
    assert profile["cpd_log"][0]["linked_items"] == [
        {"framework": "nmc-code", "code": "NMC.17", "title": "Protect people at risk"}
    ]
    assert (profile["cpd_minutes"], profile["participatory_minutes"], profile["practice_minutes"]) == (420, 420, 12_000)
    assert profile["reflective_accounts"][0]["how_it_changes_practice"] == "I send the agenda a week ahead."
    assert profile["reflective_discussions"][0]["peer_discussion"]["pin"] == "98Y1234E"
    assert len(profile["feedback"]) == 1
    statuses = {item["id"]: item["status"] for item in profile["requirements"]}
    assert statuses["reflective-discussion"] == "met" and statuses["feedback"] == "at_risk"


async def test_hcpc_profile_with_summary_dated_list_gaps_and_statement(client, worker):
    summary = "I work as a paramedic in an urban ambulance service. " * 10
    registration = await register_on(
        client, worker, "hcpc", "paramedic", "2023-01-01", "2025-01-01", practice_summary=summary
    )
    standards = await item_ids(client, worker, "hcpc-cpd-standards")
    first = await log(client, worker, "2023-01-05", activity_type="course", reflection=REFLECTION)
    await log(client, worker, "2023-09-01", activity_type="reading", reflection=REFLECTION)
    linked = await log(client, worker, "2023-10-01", activity_type="supervision", reflection=REFLECTION)
    await link(client, worker, linked["id"], standards["HCPC.CPD.4"])
    await log(client, worker, "2023-11-01", activity_type="course", reflection=UNREFLECTED)
    profile = await _profile(client, worker, registration, "2023-12-01")
    assert profile["summary_of_practice"]["words"] == 100 and profile["summary_of_practice"]["over_limit"] is False
    assert [item["occurred_on"] for item in profile["activities"]] == [
        "2023-01-05",
        "2023-09-01",
        "2023-10-01",
        "2023-11-01",
    ]
    assert [(gap["from_date"], gap["to_date"]) for gap in profile["gaps_needing_explanation"]] == [
        ("2023-01-05", "2023-09-01")
    ]
    statement = profile["statement"]["suggested_entries"]
    assert statement[0]["id"] == linked["id"]  # linked to standard 4 comes first
    assert len({item["activity_type"] for item in statement}) == len(statement) == 3
    assert "Fewer than four" in profile["statement"]["note"]
    assert {item["code"]: item["entry_ids"] for item in profile["standards"]}["HCPC.CPD.4"] == [linked["id"]]
    assert first["id"] in [item["id"] for item in profile["activities"]]


async def test_hcpc_profile_lists_gaps_to_explain_and_explained_ones(client, worker):
    registration = await register_on(client, worker, "hcpc", "dietitian", "2023-01-01", "2025-01-01")
    await log(client, worker, "2023-01-05")
    await log(client, worker, "2023-06-01")
    await log(client, worker, "2023-10-01")
    path = f"/v1/me/registrations/{registration['id']}/gap-explanations/{uuid.uuid4()}"
    await client.put(
        path, json={"starts_on": "2023-01-06", "ends_on": "2023-05-31", "reason": "Secondment"}, headers=worker
    )
    profile = await _profile(client, worker, registration, "2023-10-15")
    assert [(gap["from_date"], gap["to_date"]) for gap in profile["gaps_needing_explanation"]] == [
        ("2023-06-01", "2023-10-01")
    ]
    assert profile["explained_gaps"] == [
        {"from_date": "2023-01-05", "to_date": "2023-06-01", "reasons": ["Secondment"]}
    ]


async def test_swe_cpd_review_record_with_peer_reflection(client, worker):
    registration = await register_on(client, worker, "swe", "social_worker", "2019-12-02", "2025-11-30")
    piece = await log(client, worker, "2024-03-01", reflection=REFLECTION, description="Webinar on chronologies.")
    await client.put(
        f"/v1/evidence/{piece['id']}/peer-discussion",
        json={"name": "Alex Peer", "role": "Team manager", "learning": "Share sooner."},
        headers=worker,
    )
    await log(client, worker, "2023-11-30")  # the year before
    profile = await _profile(client, worker, registration, "2024-11-30")
    assert profile["period"] == {"start": "2023-12-01", "end": "2024-11-30"}
    record = profile["records"]
    assert [item["id"] for item in record] == [piece["id"]]
    assert (record[0]["description"], record[0]["what_i_learned"]) == (
        "Webinar on chronologies.",
        "Agree the agenda first.",
    )
    assert record[0]["peer_discussion"]["learning"] == "Share sooner."


async def test_sssc_declaration_names_each_elements_evidence(client, worker):
    registration = await register_on(client, worker, "sssc", "elc", "2024-07-01", "2029-07-01")
    items = await item_ids(client, worker, "sssc-cpl")
    entry = await log(client, worker, "2024-09-01", minutes=300)
    await link(client, worker, entry["id"], items["CLE.PROTECT.CHILD"])
    profile = await _profile(client, worker, registration, "2025-01-01")
    elements = {item["code"]: item for item in profile["elements"]}
    assert [item["id"] for item in elements["CLE.PROTECT"]["entries"]] == [entry["id"]]
    assert elements["CLE.PROTECT.CHILD"]["covered"] and not elements["CLE.PROTECT.ADULT"]["covered"]
    assert profile["learning_minutes"] == 300
    assert "verify" in profile["verification"]


async def test_coru_record_counts_credits_and_reflections(client, worker):
    registration = await register_on(client, worker, "coru", "social_worker", "2020-01-01", "2030-01-01")
    await log(client, worker, "2024-06-01", minutes=90, reflection=REFLECTION)
    await log(client, worker, "2024-07-01", minutes=30, reflection=UNREFLECTED)
    profile = await _profile(client, worker, registration, "2024-12-01")
    assert profile["credits"]["achieved"] == 2.0
    assert (len(profile["activities"]), len(profile["reflections"])) == (2, 1)
