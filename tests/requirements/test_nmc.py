"""NMC revalidation through the API: hours at their boundaries, participatory hours,
practice hours by part, feedback, reflective accounts linked to the Code, the discussion."""

from __future__ import annotations

from tests.factories import sign_up
from tests.requirements.helpers import item_ids, link, log, progress, register_on, rule

CYCLE = ("2023-01-10", "2026-01-10")
AS_OF = "2025-06-01"


async def _nurse(client, worker, part: str = "nurse") -> dict:
    return await register_on(client, worker, "nmc", part, *CYCLE)


async def test_34_hours_59_minutes_is_short_and_35_hours_is_met(client, worker):
    await _nurse(client, worker)
    await log(client, worker, "2023-05-02", minutes=1200, participatory=True)
    await log(client, worker, "2024-05-02", minutes=899, participatory=False, activity_type="e_learning")
    short = await rule(client, worker, AS_OF, "cpd-hours")
    assert (short["required"], short["achieved"], short["remaining"]) == (2100, 2099, 1)
    assert short["status"] == "on_track"  # one minute to go, seven months left
    assert sorted(entry["minutes"] for entry in short["entries"]) == [899, 1200]
    last = await log(client, worker, "2025-05-30", minutes=1)
    met = await rule(client, worker, AS_OF, "cpd-hours")
    assert (met["achieved"], met["remaining"], met["status"]) == (2100, 0, "met")
    assert last["id"] in {entry["id"] for entry in met["entries"]}


async def test_19_participatory_hours_are_short_and_20_are_met(client, worker):
    await _nurse(client, worker)
    await log(client, worker, "2023-06-01", minutes=1140, participatory=True, ended_on="2023-06-02")
    await log(client, worker, "2023-07-01", minutes=960, participatory=False, ended_on="2023-07-02")
    assert (await rule(client, worker, AS_OF, "cpd-hours"))["status"] == "met"
    short = await rule(client, worker, AS_OF, "cpd-participatory")
    assert (short["achieved"], short["remaining"]) == (1140, 60)
    assert short["status"] != "met"
    await log(client, worker, "2024-01-15", minutes=60, participatory=True)
    assert (await rule(client, worker, AS_OF, "cpd-participatory"))["status"] == "met"


async def test_entries_deleted_after_they_counted_stop_counting(client, worker):
    await _nurse(client, worker)
    kept = await log(client, worker, "2023-05-02", minutes=1440, participatory=True)
    gone = await log(client, worker, "2024-05-02", minutes=660, participatory=True)
    assert (await rule(client, worker, AS_OF, "cpd-hours"))["status"] == "met"
    assert (await client.delete(f"/v1/evidence/{gone['id']}", headers=worker)).status_code == 204
    after = await rule(client, worker, AS_OF, "cpd-hours")
    assert (after["achieved"], after["status"]) == (1440, "at_risk")
    assert [entry["id"] for entry in after["entries"]] == [kept["id"]]


async def test_status_runs_from_on_track_to_not_met_once_the_cycle_is_over(client, worker):
    await _nurse(client, worker)
    await log(client, worker, "2023-06-01", minutes=1400, participatory=True)
    # Two thirds of the hours in the first third of the cycle: on track.
    assert (await rule(client, worker, "2023-09-01", "cpd-hours"))["status"] == "on_track"
    # Still a third to do with less than a third of the time left: at risk.
    assert (await rule(client, worker, "2025-06-01", "cpd-hours"))["status"] == "at_risk"
    assert (await rule(client, worker, "2026-01-10", "cpd-hours"))["status"] == "at_risk"
    over = await rule(client, worker, "2026-01-11", "cpd-hours")
    assert (over["status"], over["due_on"]) == ("not_met", "2026-01-10")


async def test_practice_hours_are_450_or_900_by_part(client, worker):
    await _nurse(client, worker, "nurse_and_midwife")
    for month in ("03", "04", "05", "06"):
        await log(
            client, worker, f"2024-{month}-01", minutes=13_500, kind="practice_hours", ended_on=f"2024-{month}-28"
        )
    body = await progress(client, worker, AS_OF)
    ids = [item["id"] for item in body["registrations"][0]["rules"]]
    assert "practice-hours" not in ids and "practice-hours-dual" in ids
    dual = await rule(client, worker, AS_OF, "practice-hours-dual")
    assert (dual["required"], dual["achieved"], dual["status"]) == (54_000, 54_000, "met")


async def test_reflective_accounts_count_only_when_linked_to_the_code(client, worker):
    await _nurse(client, worker)
    code = await item_ids(client, worker, "nmc-code")
    accounts = [await log(client, worker, f"2024-0{n}-10", kind="reflective_account") for n in range(1, 6)]
    for account, item in zip(accounts[:4], ("NMC.1", "NMC.PE", "NMC.17", "NMC.25"), strict=True):
        await link(client, worker, account["id"], code[item])
    short = await rule(client, worker, AS_OF, "reflective-accounts")
    assert (short["achieved"], short["remaining"]) == (4, 1)
    assert short["not_counted"] == [
        {
            "id": accounts[4]["id"],
            "title": accounts[4]["title"],
            "ends_on": "2024-05-10",
            "reason": "not linked to any item of nmc-code",
        }
    ]
    await link(client, worker, accounts[4]["id"], code["NMC.20"])
    assert (await rule(client, worker, AS_OF, "reflective-accounts"))["status"] == "met"


async def test_the_reflective_discussion_needs_the_peers_name_and_pin(client, worker):
    await _nurse(client, worker)
    discussion = await log(client, worker, "2025-02-01", kind="reflective_discussion")
    assert (await rule(client, worker, AS_OF, "reflective-discussion"))["not_counted"][0][
        "reason"
    ] == "no peer discussion recorded"
    path = f"/v1/evidence/{discussion['id']}/peer-discussion"
    assert (await client.put(path, json={"name": "Sam Peer"}, headers=worker)).status_code == 201
    assert (await rule(client, worker, AS_OF, "reflective-discussion"))["not_counted"][0]["reason"] == (
        "the peer discussion lacks pin"
    )
    assert (await client.put(path, json={"name": "Sam Peer", "pin": "98Y1234E"}, headers=worker)).status_code == 200
    met = await rule(client, worker, AS_OF, "reflective-discussion")
    assert (met["status"], [entry["id"] for entry in met["entries"]]) == ("met", [discussion["id"]])


async def test_feedback_counts_five_pieces_in_the_cycle_only(client, worker):
    await _nurse(client, worker)
    await log(client, worker, "2023-01-09", kind="feedback")  # the day before the cycle
    for day in range(10, 15):
        await log(client, worker, f"2023-01-{day}", kind="feedback")
    feedback = await rule(client, worker, AS_OF, "feedback")
    assert (feedback["achieved"], feedback["status"]) == (5, "met")
    assert min(entry["occurred_on"] for entry in feedback["entries"]) == "2023-01-10"


async def test_progress_is_the_same_with_or_without_the_entry_cache(client_for, make_settings):
    """The cache only saves reading: a later day read first, then an earlier one needing older
    entries, then a change, give what a cache-less server gives."""
    cached, uncached = await client_for(), await client_for(make_settings(progress_cache_workers=0))
    answers = []
    for client in (cached, uncached):
        worker = await sign_up(client)
        await register_on(client, worker, "sssc", "elc", "2022-06-01", "2027-06-01", pack_edition="2024")
        await log(client, worker, "2023-01-10", minutes=700)
        short = await log(client, worker, "2024-01-10", minutes=30)
        later = await rule(client, worker, "2024-03-01", "elc-hours")
        earlier = await rule(client, worker, "2023-03-01", "elc-hours")
        long = await log(client, worker, "2024-02-01", minutes=700)
        added = await rule(client, worker, "2024-03-01", "elc-hours")
        patched = await client.patch(
            f"/v1/evidence/{short['id']}", json={"duration_minutes": 45}, headers={**worker, "If-Match": '"1"'}
        )
        assert patched.status_code == 200, patched.text
        await client.delete(f"/v1/evidence/{long['id']}", headers=worker)
        edited = await rule(client, worker, "2024-03-01", "elc-hours")
        answers.append([(item["achieved"], item["status"]) for item in (later, earlier, added, edited)])
    assert answers[0] == answers[1] == [(30, "at_risk"), (700, "on_track"), (730, "met"), (45, "at_risk")]
