"""The frameworks shipped with cpl (``data/*.json``) and cpl's own crosswalk between them.

They are loaded at start-up when missing, through the same checks and writer as any
import; when they are all there, start-up costs one query. Identifiers are derived from
each framework's key and each item's code, so the codes documented in
``competences/README.md`` stay stable across releases: a changed framework ships as a new
edition beside the old one. The crosswalk always points at the newest shipped editions.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID, uuid4

import anyio
from asyncpg.exceptions import UniqueViolationError

from cpl.competences.importer import write_package
from cpl.competences.packages import CheckedPackage, FrameworkSpec, check_package, derived_identifier
from cpl.competences.repository import built_in_state
from cpl.competences.rows import Row, package_from_rows
from cpl.competences.tables import CompetenceAssociation, CompetenceItem
from cpl.db import write_transaction

DATA = Path(__file__).parent / "data"
FRAMEWORK_FILES = (
    "sssc-cpl.json",
    "sssc-codes-of-practice.json",
    "nmc-code.json",
    "hcpc-cpd-standards.json",
    "swe-professional-standards.json",
)
CROSSWALK_FILE = "crosswalk.json"


def framework_identifier(key: str) -> str:
    """The CASE identifier of the built-in framework with this key (``nmc-code``, …)."""
    return derived_identifier("built-in", key)


@dataclass(frozen=True)
class CrosswalkLink:
    identifier: str
    origin: tuple[str, str]
    destination: tuple[str, str]
    association_type: str
    note: str


def _package(name: str) -> tuple[str, CheckedPackage]:
    data = json.loads((DATA / name).read_text(encoding="utf-8"))
    key = data["key"]
    framework = FrameworkSpec(identifier=framework_identifier(key), **data["framework"])
    rows = [
        Row(f"{name} items[{n}]", item["code"], item["title"], item["statement"], item.get("parent", ""), item["type"])
        for n, item in enumerate(data["items"])
    ]
    return key, check_package(package_from_rows(framework, rows))


@functools.cache
def built_in_packages() -> dict[str, CheckedPackage]:
    """Every shipped framework by key, checked like an import (reads files: call off the event loop)."""
    return dict(_package(name) for name in FRAMEWORK_FILES)


@functools.cache
def crosswalk() -> tuple[CrosswalkLink, ...]:
    """cpl's crosswalk; an identifier changes whenever anything about its link does."""
    data = json.loads((DATA / CROSSWALK_FILE).read_text(encoding="utf-8"))
    links = []
    for link in data["associations"]:
        parts = [*link["from"], link["type"], *link["to"], link["note"]]
        links.append(
            CrosswalkLink(
                derived_identifier("crosswalk", *parts),
                tuple(link["from"]),
                tuple(link["to"]),
                link["type"],
                link["note"],
            )
        )
    return tuple(links)


def _expected_state() -> set[str]:
    packages = built_in_packages().values()
    frameworks = {f"framework {p.package.framework.identifier} {p.package.framework.edition}" for p in packages}
    return frameworks | {f"crosswalk {link.identifier}" for link in crosswalk()}


async def _item_ids(frameworks: dict[str, UUID]) -> dict[tuple[str, str], UUID]:
    """``(key, code)`` → item id in the shipped edition of each built-in framework."""
    found = {}
    for key, framework_id in frameworks.items():
        rows = await CompetenceItem.select(CompetenceItem.id, CompetenceItem.code).where(
            CompetenceItem.framework == framework_id
        )
        found.update({(key, row["code"]): row["id"] for row in rows})
    return found


async def _write_crosswalk(frameworks: dict[str, UUID]) -> None:
    """Replace cpl's crosswalk rows with the shipped crosswalk."""
    await CompetenceAssociation.delete().where(CompetenceAssociation.asserted_by == "cpl")
    items = await _item_ids(frameworks)
    rows = [
        CompetenceAssociation(
            id=uuid4(),
            identifier=link.identifier,
            framework=None,
            association_type=link.association_type,
            origin=items[link.origin],
            destination=items[link.destination],
            origin_framework=frameworks[link.origin[0]],
            destination_framework=frameworks[link.destination[0]],
            destination_identifier=derived_identifier(
                framework_identifier(link.destination[0]), "item", link.destination[1]
            ),
            asserted_by="cpl",
            note=link.note,
        )
        for link in crosswalk()
    ]
    await CompetenceAssociation.insert(*rows)


async def ensure_built_in_frameworks() -> None:
    """Load whatever shipped framework edition or crosswalk link the database lacks."""
    expected = await anyio.to_thread.run_sync(_expected_state)
    present = await built_in_state()
    stale_crosswalk = {name for name in present if name.startswith("crosswalk ")} - expected
    if expected <= present and not stale_crosswalk:
        return
    try:
        async with write_transaction():
            frameworks = {}
            for key, package in built_in_packages().items():
                result = await write_package(package, built_in=True)
                frameworks[key] = result.framework["id"]
            await _write_crosswalk(frameworks)
    except (UniqueViolationError, sqlite3.IntegrityError):
        return  # another process of this service loaded them at the same moment
