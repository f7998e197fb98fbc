"""Loading the requirement packs and checking them, once per process, before the service starts.

A pack with a mistake stops start-up with an error naming the file and the rule (by id
and position) and what is wrong. Beyond the format (:mod:`cpl.requirements.pack`):
- the file is named ``<register>-<edition>.json``; rule ids are unique within it;
- kinds are built-in evidence kinds, activity types are built-in activity types, and
  ``applies_to_parts`` names parts the pack lists;
- framework keys and item codes exist in the built-in frameworks (competences/data), and
  a mandatory topic lies beneath one of its rule's elements;
- a register's editions follow one another without overlap or hole, and only the newest
  is open-ended, so exactly one edition is in force on any day from the first.
"""

from __future__ import annotations

import functools
import itertools
import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from pydantic import ValidationError

from cpl.competences.builtin import built_in_packages
from cpl.evidence.schemas import BUILT_IN_KINDS, ActivityType
from cpl.requirements.pack import Coverage, EntryCondition, MinCount, MinMinutes, RequirementPack

PACKS = Path(__file__).parent / "packs"
ACTIVITY_TYPES = frozenset(item.value for item in ActivityType)


class RequirementPackError(ValueError):
    """A shipped (or given) requirement pack is wrong; the message names file and rule."""

    def __init__(self, file: str, problem: str, rule: str | None = None) -> None:
        where = f"requirement pack {file}" + (f", rule {rule}" if rule else "")
        super().__init__(f"{where}: {problem}")
        self.file, self.rule, self.problem = file, rule, problem


@functools.cache
def framework_codes() -> dict[str, dict[str, str | None]]:
    """Built-in framework key → item code → its parent's code (None at the top)."""
    found = {}
    for key, checked in built_in_packages().items():
        code_of = {placed.spec.identifier: placed.spec.code for placed in checked.items}
        found[key] = {placed.spec.code: code_of.get(placed.parent) for placed in checked.items}
    return found


@functools.cache
def item_titles() -> dict[tuple[str, str], str]:
    """``(framework key, code)`` → the title of every item of the built-in frameworks."""
    return {
        (key, placed.spec.code): placed.spec.title or placed.spec.code
        for key, checked in built_in_packages().items()
        for placed in checked.items
    }


def _rule_label(raw: object, index: int) -> str:
    rule_id = raw.get("id") if isinstance(raw, dict) else None
    return f"{rule_id!r} (rules[{index}])" if isinstance(rule_id, str) else f"rules[{index}]"


def _parse(file: str, text: str) -> RequirementPack:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise RequirementPackError(file, f"not valid JSON: {error.msg} at line {error.lineno}") from error
    try:
        return RequirementPack.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        loc = list(first["loc"])
        rule = None
        if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
            rule = _rule_label(raw["rules"][loc[1]], loc[1])
            loc = loc[3:] if len(loc) > 2 and loc[2] in _RULE_TYPES else loc[2:]
        field = ".".join(str(part) for part in loc) or "pack"
        raise RequirementPackError(file, f"{field}: {first['msg']}", rule) from error


_RULE_TYPES = {"min_minutes", "min_count", "coverage", "no_gap", "activity_mix"}


def _beneath(codes: dict[str, str | None], code: str, ancestor: str) -> bool:
    parent = codes.get(code)
    while parent is not None:
        if parent == ancestor:
            return True
        parent = codes.get(parent)
    return False


def _item_problems(framework: str, items: list[str], codes: dict[str, dict[str, str | None]]) -> str | None:
    if framework not in codes:
        return f"framework {framework!r} is not a built-in framework (known: {', '.join(sorted(codes))})"
    unknown = [code for code in items if code not in codes[framework]]
    return f"{framework} has no item {unknown[0]!r}" if unknown else None


def _condition_problem(condition: EntryCondition, codes) -> str | None:
    if condition.framework is None:
        return None
    return _item_problems(condition.framework, condition.items or [], codes)


def _rule_problem(pack: RequirementPack, rule, codes) -> str | None:
    """What is wrong with one rule beyond its format, or None."""
    kinds = getattr(rule, "kinds", None) or []
    if unknown := [kind for kind in kinds if kind not in BUILT_IN_KINDS]:
        return f"kinds: {unknown[0]!r} is not an evidence kind ({', '.join(sorted(BUILT_IN_KINDS))})"
    if isinstance(rule, MinMinutes) and (unknown := [t for t in rule.activity_types or [] if t not in ACTIVITY_TYPES]):
        return f"activity_types: {unknown[0]!r} is not an activity type"
    if unknown := [part for part in rule.applies_to_parts or [] if part not in pack.parts]:
        return f"applies_to_parts: {unknown[0]!r} is not one of the pack's parts"
    if isinstance(rule, MinCount) and rule.each is not None:
        return _condition_problem(rule.each, codes)
    if isinstance(rule, Coverage):
        if problem := _item_problems(rule.framework, [*rule.elements, *rule.mandatory_topics], codes):
            return problem
        for topic in rule.mandatory_topics:
            if not any(_beneath(codes[rule.framework], topic, element) for element in rule.elements):
                return f"mandatory topic {topic!r} is not beneath any of the rule's elements"
    return None


def check_pack(file: str, text: str) -> RequirementPack:
    """Parse and check one pack file's text; raises :class:`RequirementPackError`."""
    pack = _parse(file, text)
    if file != f"{pack.register}-{pack.edition}.json":
        raise RequirementPackError(file, f"the file must be named {pack.register}-{pack.edition}.json")
    codes = framework_codes()
    seen: set[str] = set()
    for index, rule in enumerate(pack.rules):
        label = f"{rule.id!r} (rules[{index}])"
        if rule.id in seen:
            raise RequirementPackError(file, "the id is used by an earlier rule", label)
        seen.add(rule.id)
        if problem := _rule_problem(pack, rule, codes):
            raise RequirementPackError(file, problem, label)
    return pack


@dataclass(frozen=True, eq=False)
class PackLibrary:
    """Every register's editions, oldest first (compared and hashed by identity)."""

    editions: dict[str, tuple[RequirementPack, ...]]

    def edition(self, register: str, edition: str) -> RequirementPack | None:
        return next((pack for pack in self.editions.get(register, ()) if pack.edition == edition), None)

    def in_force(self, register: str, on: date) -> RequirementPack:
        """The edition in force on ``on``; before the first edition, the first."""
        editions = self.editions[register]
        return next((pack for pack in reversed(editions) if pack.effective_from <= on), editions[0])


def _check_sequence(register: str, editions: list[tuple[str, RequirementPack]]) -> None:
    for (_, earlier), (file, later) in itertools.pairwise(editions):
        if earlier.effective_to is None or earlier.effective_to + timedelta(days=1) != later.effective_from:
            raise RequirementPackError(
                file,
                f"effective_from must be the day after the end of {register} edition {earlier.edition!r} "
                f"({earlier.effective_to or 'open-ended'})",
            )


def load_library(directory: Path = PACKS) -> PackLibrary:
    """Read and check every ``*.json`` pack in ``directory``."""
    by_register: dict[str, list[tuple[str, RequirementPack]]] = {}
    for path in sorted(directory.glob("*.json")):
        pack = check_pack(path.name, path.read_text(encoding="utf-8"))
        by_register.setdefault(pack.register, []).append((path.name, pack))
    for register, editions in by_register.items():
        editions.sort(key=lambda pair: pair[1].effective_from)
        _check_sequence(register, editions)
    return PackLibrary({register: tuple(pack for _, pack in editions) for register, editions in by_register.items()})


@functools.cache
def _checked_library(directory: Path) -> PackLibrary:
    return load_library(directory)


def shipped_library() -> PackLibrary:
    """The packs shipped with cpl, read and checked once per process."""
    return _checked_library(PACKS)


def check_requirement_packs(directory: Path = PACKS) -> None:
    """Start-up check (``create_app``): refuses to build the app when a pack has a mistake.

    The shipped packs are read and checked once per process; later calls cost nothing.
    """
    _checked_library(directory)
