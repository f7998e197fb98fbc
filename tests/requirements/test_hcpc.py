"""HCPC through the API: a continuous record (gaps of three months or more explained) and a
mix of learning activities."""

from __future__ import annotations

import uuid

import pytest

from tests.requirements.helpers import log, register_on, rule


async def _paramedic(client, worker, start: str = "2022-06-01", renewal: str = "2024-06-01") -> dict:
    return await register_on(client, worker, "hcpc", "paramedic", start, renewal)


@pytest.mark.parametrize(
    ("next_activity", "flagged"),
    [("2022-09-14", False), ("2022-09-15", True), ("2022-09-16", True)],
    ids=["a day short of 3 months", "exactly 3 months", "a day more"],
)
async def test_a_gap_of_three_months_or_more_needs_explaining(client, worker, next_activity, flagged):
    await _paramedic(client, worker)
    before = await log(client, worker, "2022-06-15")
    after = await log(client, worker, next_activity)
    await log(client, worker, "2022-10-01")
    gaps = await rule(client, worker, "2022-10-15", "continuous-record")
    found = [gap for gap in gaps["gaps"] if not gap["open"]]
    if flagged:
        assert found == [
            {
                "from_date": "2022-06-15",
                "to_date": next_activity,
                "open": False,
                "after_entry_id": before["id"],
                "before_entry_id": after["id"],
                "explained": False,
                "explanation_ids": [],
            }
        ]
        assert (gaps["achieved"], gaps["status"]) == (1, "at_risk")
    else:
        assert found == []
        assert (gaps["achieved"], gaps["status"]) == (0, "met")


@pytest.mark.parametrize(
    ("last_before", "next_activity", "flagged"),
    [
        ("2023-11-30", "2024-02-28", False),
        ("2023-11-30", "2024-02-29", True),  # 30 November + 3 months in a leap year
        ("2022-11-30", "2023-02-27", False),
        ("2022-11-30", "2023-02-28", True),  # 30 November + 3 months otherwise
    ],
)
async def test_gaps_over_february_in_leap_and_other_years(client, worker, last_before, next_activity, flagged):
    await _paramedic(client, worker, last_before, f"{int(last_before[:4]) + 2}{last_before[4:]}")
    await log(client, worker, last_before)
    await log(client, worker, next_activity)
    gaps = await rule(client, worker, next_activity, "continuous-record")
    assert [gap["to_date"] for gap in gaps["gaps"] if not gap["open"]] == ([next_activity] if flagged else [])


async def test_an_explanation_covering_the_gap_settles_it(client, worker):
    registration = await _paramedic(client, worker)
    await log(client, worker, "2022-06-01")
    await log(client, worker, "2022-12-01")
    base = f"/v1/me/registrations/{registration['id']}/gap-explanations"
    partial = {"starts_on": "2022-06-02", "ends_on": "2022-10-31", "reason": "Parental leave"}
    assert (await client.put(f"{base}/{uuid.uuid4()}", json=partial, headers=worker)).status_code == 201
    assert (await rule(client, worker, "2022-12-10", "continuous-record"))["achieved"] == 1
    rest = {"starts_on": "2022-11-01", "ends_on": "2022-11-30", "reason": "Phased return"}
    second = await client.put(f"{base}/{uuid.uuid4()}", json=rest, headers=worker)
    settled = await rule(client, worker, "2022-12-10", "continuous-record")
    assert (settled["achieved"], settled["status"]) == (0, "met")
    assert settled["gaps"][0]["explained"] is True
    assert second.json()["id"] in settled["gaps"][0]["explanation_ids"]


async def test_the_stretch_since_the_last_activity_is_an_open_gap(client, worker):
    await _paramedic(client, worker)
    last = await log(client, worker, "2022-06-10")
    assert (await rule(client, worker, "2022-08-09", "continuous-record"))["status"] == "met"
    nearing = await rule(client, worker, "2022-08-10", "continuous-record")
    assert (nearing["status"], nearing["gaps"]) == ("at_risk", [])
    open_gap = await rule(client, worker, "2022-09-10", "continuous-record")
    assert open_gap["gaps"] == [
        {
            "from_date": "2022-06-10",
            "to_date": "2022-09-10",
            "open": True,
            "after_entry_id": last["id"],
            "before_entry_id": None,
            "explained": False,
            "explanation_ids": [],
        }
    ]


async def test_an_unexplained_gap_in_a_finished_cycle_is_not_met(client, worker):
    await _paramedic(client, worker)
    for day in (
        "2022-06-01",
        "2023-01-01",
        "2023-03-01",
        "2023-05-01",
        "2023-07-01",
        "2023-09-01",
        "2023-11-01",
        "2024-01-01",
        "2024-03-01",
        "2024-05-01",
        "2024-06-01",
    ):
        await log(client, worker, day)
    finished = await rule(client, worker, "2024-06-02", "continuous-record")
    assert (finished["achieved"], finished["status"]) == (1, "not_met")
    assert [(gap["from_date"], gap["to_date"]) for gap in finished["gaps"]] == [("2022-06-01", "2023-01-01")]


async def test_the_mix_needs_two_activity_types(client, worker):
    await _paramedic(client, worker)
    course = await log(client, worker, "2022-07-01", activity_type="course")
    await log(client, worker, "2022-08-01", activity_type="course")
    one = await rule(client, worker, "2022-09-01", "activity-mix")
    assert (one["required"], one["achieved"]) == (2, 1)
    assert one["activity_types"][0]["entry_ids"][0] == course["id"]
    await log(client, worker, "2022-08-15", activity_type="reading", kind="reflective_account")
    assert (await rule(client, worker, "2022-09-01", "activity-mix"))["status"] == "met"
