"""Social Work England through the API: two pieces of CPD by 30 November, one with a peer
reflection; the deadline day and the day after; an entry spanning two registration years;
the edition in force."""

from __future__ import annotations

from tests.requirements.helpers import log, progress, register_on, rule


async def _social_worker(client, worker) -> dict:
    return await register_on(client, worker, "swe", "social_worker", "2019-12-02", "2025-11-30")


async def _peer(client, worker, entry_id: str, answers: int, **body) -> None:
    """Record the entry's peer discussion: 201 the first time, 200 when it replaces one."""
    response = await client.put(
        f"/v1/evidence/{entry_id}/peer-discussion", json={"name": "Alex Peer", **body}, headers=worker
    )
    assert response.status_code == answers, response.text


async def test_an_entry_on_30_november_counts_for_the_year_ending_that_day(client, worker):
    await _social_worker(client, worker)
    await log(client, worker, "2024-06-01")
    on_deadline = await log(client, worker, "2024-11-30")
    records = await rule(client, worker, "2024-11-30", "cpd-records")
    assert (records["achieved"], records["status"], records["due_on"]) == (2, "met", "2024-11-30")
    assert records["period"] == {"start": "2023-12-01", "end": "2024-11-30"}
    assert on_deadline["id"] in {entry["id"] for entry in records["entries"]}


async def test_the_day_after_30_november_starts_the_next_year(client, worker):
    await _social_worker(client, worker)
    await log(client, worker, "2024-06-01")
    await log(client, worker, "2024-11-30")
    day_after = await log(client, worker, "2024-12-01")
    records = await rule(client, worker, "2024-12-01", "cpd-records")
    assert records["period"] == {"start": "2024-12-01", "end": "2025-11-30"}
    assert [entry["id"] for entry in records["entries"]] == [day_after["id"]]
    assert (records["achieved"], records["status"]) == (1, "on_track")


async def test_one_piece_on_the_deadline_day_is_at_risk(client, worker):
    await _social_worker(client, worker)
    await log(client, worker, "2024-03-01")
    assert (await rule(client, worker, "2024-11-30", "cpd-records"))["status"] == "at_risk"


async def test_an_entry_spanning_two_years_counts_in_the_year_it_ended(client, worker):
    await _social_worker(client, worker)
    spanning = await log(client, worker, "2024-11-29", minutes=600, ended_on="2024-12-02")
    before = await rule(client, worker, "2024-11-30", "cpd-records")
    assert before["achieved"] == 0
    after = await rule(client, worker, "2024-12-02", "cpd-records")
    assert [entry["id"] for entry in after["entries"]] == [spanning["id"]]
    assert after["entries"][0]["ends_on"] == "2024-12-02"


async def test_peer_reflection_needs_the_peer_and_what_was_learnt(client, worker):
    await _social_worker(client, worker)
    first = await log(client, worker, "2024-02-01")
    await log(client, worker, "2024-03-01")
    reflection = await rule(client, worker, "2024-11-30", "peer-reflection")
    assert (reflection["achieved"], reflection["status"]) == (0, "at_risk")
    await _peer(client, worker, first["id"], 201)
    lacking = await rule(client, worker, "2024-11-30", "peer-reflection")
    assert lacking["not_counted"][0]["reason"] == "the peer discussion lacks learning"
    await _peer(client, worker, first["id"], 200, learning="Check the chronology before a visit.")
    met = await rule(client, worker, "2024-11-30", "peer-reflection")
    assert (met["status"], [entry["id"] for entry in met["entries"]]) == ("met", [first["id"]])


async def test_each_year_is_judged_by_the_edition_in_force(client, worker):
    await _social_worker(client, worker)
    await log(client, worker, "2021-05-01")
    old = (await progress(client, worker, "2021-11-30"))["registrations"][0]
    assert (old["pack"]["edition"], old["status"]) == ("2019", "met")
    assert [item["id"] for item in old["rules"]] == ["cpd-records"]
    await log(client, worker, "2022-05-01")
    new = (await progress(client, worker, "2022-11-30"))["registrations"][0]
    assert new["pack"]["edition"] == "2022"
    assert {item["id"]: item["status"] for item in new["rules"]} == {
        "cpd-records": "at_risk",
        "peer-reflection": "at_risk",
    }


async def test_a_pinned_edition_is_used_whatever_the_day(client, worker):
    await register_on(client, worker, "swe", "social_worker", "2019-12-02", "2025-11-30", pack_edition="2019")
    await log(client, worker, "2024-05-01")
    pinned = (await progress(client, worker, "2024-11-30"))["registrations"][0]
    assert (pinned["pack"]["edition"], pinned["status"]) == ("2019", "met")
