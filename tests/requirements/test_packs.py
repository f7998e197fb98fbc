"""Requirement packs: the shipped ones load; a pack with a mistake stops start-up, naming the
file and the rule."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cpl.requirements.library import PACKS, RequirementPackError, check_requirement_packs, load_library


def _copy_packs(tmp_path: Path, *names: str) -> Path:
    for name in names:
        shutil.copyfile(PACKS / name, tmp_path / name)
    return tmp_path


def _edit(path: Path, change) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def _rule(data: dict, rule_id: str) -> dict:
    return next(rule for rule in data["rules"] if rule["id"] == rule_id)


def test_every_shipped_pack_loads_with_a_source_on_every_rule():
    library = load_library()
    assert sorted(library.editions) == ["coru", "hcpc", "nmc", "sssc", "swe"]
    assert [pack.edition for pack in library.editions["swe"]] == ["2019", "2022"]
    for editions in library.editions.values():
        for pack in editions:
            assert pack.source.url.startswith("https://")
            assert all(rule.source.url.startswith("https://") for rule in pack.rules)


MISTAKES = [
    (
        "nmc-2016.json",
        lambda data: _rule(data, "cpd-hours").update(minutes=0),
        "requirement pack nmc-2016.json, rule 'cpd-hours' (rules[0]): minutes: Input should be greater than "
        "or equal to 1",
    ),
    (
        "nmc-2016.json",
        lambda data: _rule(data, "feedback").update(kinds=["feedbak"]),
        "requirement pack nmc-2016.json, rule 'feedback' (rules[4]): kinds: 'feedbak' is not an evidence kind",
    ),
    (
        "nmc-2016.json",
        lambda data: _rule(data, "feedback").update(count=5.5),
        "rule 'feedback' (rules[4]): count:",
    ),
    (
        "nmc-2016.json",
        lambda data: _rule(data, "reflective-accounts")["each"].update(framework="nmc-cod"),
        "rule 'reflective-accounts' (rules[5]): framework 'nmc-cod' is not a built-in framework",
    ),
    (
        "nmc-2016.json",
        lambda data: _rule(data, "practice-hours").update(applies_to_parts=["nurses"]),
        "rule 'practice-hours' (rules[2]): applies_to_parts: 'nurses' is not one of the pack's parts",
    ),
    (
        "nmc-2016.json",
        lambda data: _rule(data, "feedback").update(id="cpd-hours"),
        "rule 'cpd-hours' (rules[4]): the id is used by an earlier rule",
    ),
    (
        "nmc-2016.json",
        lambda data: _rule(data, "feedback").update(type="max_count"),
        "requirement pack nmc-2016.json, rule 'feedback' (rules[4]):",
    ),
    (
        "nmc-2016.json",
        lambda data: _rule(data, "feedback")["source"].update(url="http://example.org"),
        "rule 'feedback' (rules[4]): source.url:",
    ),
    (
        "nmc-2016.json",
        lambda data: _rule(data, "feedback").update(surprise=True),
        "rule 'feedback' (rules[4]): surprise: Extra inputs are not permitted",
    ),
    (
        "sssc-2024.json",
        lambda data: _rule(data, "core-elements").update(elements=["CLE.RIGHTS", "CLE.COMMS", "CLE.NOPE"]),
        "requirement pack sssc-2024.json, rule 'core-elements' (rules[0]): sssc-cpl has no item 'CLE.NOPE'",
    ),
    (
        "sssc-2024.json",
        lambda data: _rule(data, "core-elements").update(elements=["CLE.RIGHTS", "CLE.COMMS", "CLE.WELLBEING"]),
        "rule 'core-elements' (rules[0]): mandatory topic 'CLE.PROTECT.CHILD' is not beneath any "
        "of the rule's elements",
    ),
    (
        "swe-2022.json",
        lambda data: data["deadline"].update(month=2, day=29),
        "requirement pack swe-2022.json: deadline.fixed_date: Value error, 2-29 is not a day that every year has",
    ),
    (
        "coru-2017.json",
        lambda data: data.update(edition="2018"),
        "requirement pack coru-2017.json: the file must be named coru-2018.json",
    ),
    (
        "coru-2017.json",
        lambda data: data.update(effective_to="2016-01-01"),
        "requirement pack coru-2017.json: pack: Value error, effective_to is before effective_from",
    ),
]


@pytest.mark.parametrize(("file", "change", "message"), MISTAKES)
def test_a_pack_with_a_mistake_is_refused_naming_file_and_rule(tmp_path, file, change, message):
    _copy_packs(tmp_path, file)
    _edit(tmp_path / file, change)
    with pytest.raises(RequirementPackError) as raised:
        check_requirement_packs(tmp_path)
    assert message in str(raised.value)
    assert raised.value.file == file


def test_unreadable_json_names_the_file_and_line(tmp_path):
    (tmp_path / "hcpc-2012.json").write_text('{\n  "register": "hcpc",\n  oops\n}')
    with pytest.raises(RequirementPackError, match=r"requirement pack hcpc-2012.json: not valid JSON: .* at line 3"):
        load_library(tmp_path)


def test_editions_must_follow_one_another(tmp_path):
    _copy_packs(tmp_path, "swe-2019.json", "swe-2022.json")
    _edit(tmp_path / "swe-2019.json", lambda data: data.update(effective_to="2021-12-01"))
    with pytest.raises(RequirementPackError) as raised:
        load_library(tmp_path)
    assert str(raised.value) == (
        "requirement pack swe-2022.json: effective_from must be the day after the end of swe edition '2019' "
        "(2021-12-01)"
    )


async def test_the_packs_are_listed_for_clients(client, worker):
    response = await client.get("/v1/requirement-packs", headers=worker)
    assert response.status_code == 200, response.text
    packs = {(pack["register"], pack["edition"]): pack for pack in response.json()}
    assert set(packs) == {
        ("coru", "2017"),
        ("hcpc", "2012"),
        ("nmc", "2016"),
        ("sssc", "2020"),
        ("sssc", "2024"),
        ("swe", "2019"),
        ("swe", "2022"),
    }
    nmc = packs[("nmc", "2016")]
    assert "nurse_and_midwife" in nmc["parts"]
    assert {rule["id"]: rule["applies_to_parts"] for rule in nmc["rules"]}["practice-hours-dual"] == [
        "nurse_and_midwife"
    ]
    assert packs[("swe", "2019")]["effective_to"] == "2021-11-30"
