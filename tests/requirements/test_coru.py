"""CORU through the API: 30 credits (1 credit = 60 minutes) in a rolling 12 months, with at
least four reflections; the window across a leap day; a registrant's first year."""

from __future__ import annotations

from tests.requirements.helpers import log, register_on, rule

REFLECTION = {"what_happened": "", "what_i_learned": "Something new.", "how_it_changes_practice": ""}
NO_REFLECTION = {"what_happened": "", "what_i_learned": "", "how_it_changes_practice": ""}


async def test_29_credits_59_minutes_are_short_of_30(client, worker):
    await register_on(client, worker, "coru", "social_worker", "2020-01-01", "2030-01-01")
    await log(client, worker, "2024-09-01", minutes=1440, ended_on="2024-09-02")
    await log(client, worker, "2024-10-01", minutes=359)
    short = await rule(client, worker, "2025-02-28", "cpd-credits")
    assert (short["achieved"], short["status"]) == (1799, "not_met")  # a rolling window holds every day
    assert short["in_units"] == {
        "name": "credit",
        "minutes_per_unit": 60,
        "required": 30.0,
        "achieved": 29.98,
        "remaining": 0.02,
    }
    await log(client, worker, "2025-01-15", minutes=1)
    met = await rule(client, worker, "2025-02-28", "cpd-credits")
    assert (met["status"], met["in_units"]["achieved"]) == ("met", 30.0)


async def test_the_window_is_the_last_12_months_across_a_leap_day(client, worker):
    await register_on(client, worker, "coru", "physiotherapist", "2020-01-01", "2030-01-01")
    await log(client, worker, "2024-02-28", minutes=600)
    leap_day = await log(client, worker, "2024-02-29", minutes=600)
    window = await rule(client, worker, "2025-02-28", "cpd-credits")
    assert window["period"] == {"start": "2024-02-29", "end": "2025-02-28"}
    assert [entry["id"] for entry in window["entries"]] == [leap_day["id"]]
    assert (await rule(client, worker, "2025-03-01", "cpd-credits"))["achieved"] == 0


async def test_a_registrants_first_12_months_run_from_their_start(client, worker):
    await register_on(client, worker, "coru", "dietitian", "2024-09-01", "2026-09-01")
    await log(client, worker, "2024-10-01", minutes=600)
    first = await rule(client, worker, "2024-12-01", "cpd-credits")
    assert first["period"] == {"start": "2024-09-01", "end": "2025-08-31"}
    assert (first["due_on"], first["status"]) == ("2025-08-31", "on_track")


async def test_four_reflections_are_needed(client, worker):
    await register_on(client, worker, "coru", "social_worker", "2020-01-01", "2030-01-01")
    for day in ("2024-06-01", "2024-07-01", "2024-08-01"):
        await log(client, worker, day, reflection=REFLECTION)
    unreflected = await log(client, worker, "2024-09-01", reflection=NO_REFLECTION)
    short = await rule(client, worker, "2024-12-01", "reflections")
    assert (short["achieved"], short["status"]) == (3, "not_met")
    assert short["not_counted"][0] == {
        "id": unreflected["id"],
        "title": unreflected["title"],
        "ends_on": "2024-09-01",
        "reason": "no written reflection",
    }
    await log(client, worker, "2024-10-01", kind="reflective_account", reflection=REFLECTION)
    assert (await rule(client, worker, "2024-12-01", "reflections"))["status"] == "met"
