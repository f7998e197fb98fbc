"""SSSC through the API: every core learning element each year with its mandatory topics,
the social work elements, 12 hours a year for early learning and childcare, leap years,
and the hours-based edition before June 2024."""

from __future__ import annotations

from tests.requirements.helpers import item_ids, link, log, progress, register_on, rule

ELEMENTS = ["CLE.RIGHTS", "CLE.COMMS", "CLE.WELLBEING", "CLE.PROTECT", "CLE.ROLE", "CLE.REFLECT", "CLE.LEAD"]
TOPICS = ["CLE.COMMS.TRAUMA", "CLE.PROTECT.CHILD", "CLE.PROTECT.ADULT"]


async def test_every_element_and_mandatory_topic_must_be_covered(client, worker):
    await register_on(client, worker, "sssc", "social_care", "2024-07-01", "2029-07-01")
    items = await item_ids(client, worker, "sssc-cpl")
    for n, code in enumerate(
        ["CLE.RIGHTS", "CLE.COMMS", "CLE.WELLBEING", "CLE.PROTECT.CHILD", "CLE.ROLE", "CLE.REFLECT", "CLE.LEAD"]
    ):
        entry = await log(client, worker, f"2024-08-{n + 1:02d}")
        await link(client, worker, entry["id"], items[code])
    partial = await rule(client, worker, "2025-01-01", "core-elements")
    covered = {item["code"]: item["covered"] for item in partial["items"]}
    assert all(covered[code] for code in ELEMENTS)  # a topic covers its element
    assert covered == {
        **dict.fromkeys(ELEMENTS, True),
        "CLE.COMMS.TRAUMA": False,
        "CLE.PROTECT.CHILD": True,
        "CLE.PROTECT.ADULT": False,
    }
    assert (partial["required"], partial["achieved"], partial["remaining"]) == (10, 8, 2)
    assert {item["code"]: item["element"] for item in partial["items"] if item["role"] == "mandatory_topic"} == {
        "CLE.COMMS.TRAUMA": "CLE.COMMS",
        "CLE.PROTECT.CHILD": "CLE.PROTECT",
        "CLE.PROTECT.ADULT": "CLE.PROTECT",
    }
    both = await log(client, worker, "2024-09-01")
    await link(client, worker, both["id"], items["CLE.COMMS.TRAUMA"], items["CLE.PROTECT.ADULT"])
    done = await rule(client, worker, "2025-01-01", "core-elements")
    assert (done["status"], done["achieved"]) == ("met", 10)
    assert both["id"] in {entry["id"] for entry in done["entries"]}
    # The social work elements apply to social workers only.
    assert "social-work-elements" not in [
        item["id"] for item in (await progress(client, worker, "2025-01-01"))["registrations"][0]["rules"]
    ]


async def test_coverage_is_counted_afresh_each_year(client, worker):
    await register_on(client, worker, "sssc", "social_worker", "2024-07-01", "2029-07-01")
    items = await item_ids(client, worker, "sssc-cpl")
    entry = await log(client, worker, "2025-06-30")
    await link(client, worker, entry["id"], items["CLE.SW.SELF"], items["CLE.SW.LEAD"])
    assert (await rule(client, worker, "2025-06-30", "social-work-elements"))["status"] == "met"
    next_year = await rule(client, worker, "2025-07-01", "social-work-elements")
    assert (next_year["period"], next_year["achieved"]) == ({"start": "2025-07-01", "end": "2026-06-30"}, 0)


async def test_early_learning_and_childcare_needs_12_hours_a_year(client, worker):
    await register_on(client, worker, "sssc", "elc", "2024-09-01", "2029-09-01")
    await log(client, worker, "2024-10-01", minutes=719)
    short = await rule(client, worker, "2025-08-31", "elc-hours")
    assert (short["required"], short["achieved"], short["remaining"]) == (720, 719, 1)
    assert short["status"] == "on_track"  # the due day itself is left for one minute's learning
    await log(client, worker, "2025-08-31", minutes=1)
    assert (await rule(client, worker, "2025-08-31", "elc-hours"))["status"] == "met"


async def test_a_year_from_29_february_ends_on_27_february(client, worker):
    await register_on(client, worker, "sssc", "elc", "2024-02-29", "2029-02-28", pack_edition="2024")
    leap_day = await log(client, worker, "2024-02-29", minutes=700)
    await log(client, worker, "2025-02-27", minutes=20)
    first = await rule(client, worker, "2025-02-27", "elc-hours")
    assert first["period"] == {"start": "2024-02-29", "end": "2025-02-27"}
    assert (first["achieved"], first["status"]) == (720, "met")
    assert leap_day["id"] in {entry["id"] for entry in first["entries"]}
    second = await rule(client, worker, "2025-02-28", "elc-hours")
    assert (second["period"], second["achieved"]) == ({"start": "2025-02-28", "end": "2026-02-27"}, 0)
    leap_year = await rule(client, worker, "2028-03-01", "elc-hours")
    assert leap_year["period"] == {"start": "2028-02-29", "end": "2029-02-27"}


async def test_before_june_2024_hours_over_the_registration_were_counted(client, worker):
    await register_on(client, worker, "sssc", "social_care", "2019-05-01", "2024-05-01")
    await log(client, worker, "2021-05-01", minutes=3599, ended_on="2021-05-03")
    registration = (await progress(client, worker, "2024-05-02"))["registrations"][0]
    assert registration["pack"]["edition"] == "2020"
    hours = registration["rules"][0]
    assert (hours["id"], hours["achieved"], hours["remaining"], hours["status"]) == ("cpl-hours", 3599, 1, "not_met")
