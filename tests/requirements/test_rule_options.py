"""Rule options no shipped pack uses yet, judged on a record built in memory: minutes of some
activity types only, entries each linked to given framework items, gaps "longer than"."""

from __future__ import annotations

import json
import uuid
from datetime import date

from cpl.evidence.summaries import Entry
from cpl.requirements.library import check_pack
from cpl.requirements.rules import Judged, evaluate
from cpl.requirements.worker_record import WorkerRecord

SOURCE = {"title": "Test", "url": "https://example.org/rules"}
PACK = {
    "register": "test",
    "edition": "1",
    "title": "Test pack",
    "regulator": "Nobody",
    "effective_from": "2020-01-01",
    "source": SOURCE,
    "parts": {"any": "Any"},
    "deadline": {"type": "cycle_end"},
    "audit_profile": "hcpc",
    "rules": [
        {
            "id": "courses",
            "type": "min_minutes",
            "title": "Courses",
            "source": SOURCE,
            "minutes": 120,
            "kinds": ["learning_activity"],
            "activity_types": ["course", "conference"],
        },
        {
            "id": "protection",
            "type": "min_count",
            "title": "Protection",
            "source": SOURCE,
            "count": 1,
            "kinds": ["learning_activity"],
            "each": {"framework": "sssc-cpl", "items": ["CLE.PROTECT"]},
        },
        {
            "id": "continuous",
            "type": "no_gap",
            "title": "Continuous",
            "source": SOURCE,
            "months": 2,
            "at_least": False,
            "kinds": ["learning_activity"],
        },
    ],
}


def _entry(day: str, minutes: int, activity_type: str) -> Entry:
    on = date.fromisoformat(day)
    title = f"{activity_type} on {day}"
    return Entry(str(uuid.uuid4()), "learning_activity", title, on, on, minutes, False, activity_type, False)


def _judge(record: WorkerRecord, rule_id: str, as_of: str = "2021-06-01"):
    pack = check_pack("test-1.json", json.dumps(PACK))
    judged = Judged(record, date.fromisoformat(as_of), date(2021, 1, 1), date(2022, 1, 1), [])
    return evaluate(pack, next(rule for rule in pack.rules if rule.id == rule_id), judged)


def test_minutes_of_some_activity_types_only():
    course, reading = _entry("2021-02-01", 60, "course"), _entry("2021-03-01", 600, "reading")
    conference = _entry("2021-04-01", 59, "conference")
    result = _judge(WorkerRecord(entries=[course, reading, conference]), "courses")
    assert (result.achieved, result.remaining) == (119, 1)
    assert [item.id for item in result.entries] == [course.id, conference.id]


def test_entries_each_linked_to_an_item_or_beneath_it():
    child, element, other = (_entry(day, 60, "course") for day in ("2021-02-01", "2021-03-01", "2021-04-01"))
    record = WorkerRecord(
        entries=[child, element, other],
        links={
            child.id: {("sssc-cpl", "CLE.PROTECT.CHILD"), ("sssc-cpl", "CLE.PROTECT")},
            element.id: {("sssc-cpl", "CLE.PROTECT")},
            other.id: {("sssc-cpl", "CLE.ROLE")},
        },
    )
    result = _judge(record, "protection")
    assert [item.id for item in result.entries] == [child.id, element.id]
    assert result.not_counted[0].reason == "not linked to CLE.PROTECT of sssc-cpl or an item beneath"


def test_longer_than_rules_let_exactly_n_months_pass():
    exactly = WorkerRecord(entries=[_entry("2021-01-15", 60, "course"), _entry("2021-03-15", 60, "course")])
    assert _judge(exactly, "continuous", "2021-03-20").gaps == []
    longer = WorkerRecord(entries=[_entry("2021-01-15", 60, "course"), _entry("2021-03-16", 60, "course")])
    gaps = _judge(longer, "continuous", "2021-03-20").gaps
    assert [(gap.from_date, gap.to_date) for gap in gaps] == [(date(2021, 1, 15), date(2021, 3, 16))]
