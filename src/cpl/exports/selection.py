"""Which of a worker's entries and registrations an export's selection takes in.

Rules:
- Every part of a selection narrows it (period AND frameworks AND registration AND entries);
  an empty selection is the whole live record. Deleted entries are never exported.
- ``framework_ids``: entries the worker mapped to at least one item of those frameworks.
- ``registration_id``: the registration's current cycle, ``cycle_start`` to
  ``renewal_date``, unless ``period`` is given; only that registration is exported.
- Anything named that is not the worker's (or does not exist) is refused at ``POST`` with
  422 naming it, so a queued job never fails on a bad selection.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from cpl.competences.tables import CompetenceFramework, CompetenceLink
from cpl.errors import invalid_field
from cpl.evidence import repository
from cpl.exports.schemas import ExportIn
from cpl.requirements.service import list_registrations
from cpl.requirements.tables import Registration

#: IN lists are sent in pieces of this many values (SQLite's variable limit, PostgreSQL's plan size).
CHUNK = 500


@dataclass(frozen=True)
class Resolved:
    period_from: date | None
    period_to: date | None
    registrations: list[dict[str, Any]]
    entries: list[dict[str, Any]]


def chunks(values: list[Any]) -> list[list[Any]]:
    return [values[start : start + CHUNK] for start in range(0, len(values), CHUNK)]


def selection_key(data: ExportIn) -> str:
    """Equal for two exports of the same selection in the same format and form (the later supersedes).

    Options at their defaults are left out, so exports made before options existed keep their key.
    """
    selection = data.selection.model_dump(mode="json", by_alias=True)
    for name in ("framework_ids", "entry_ids"):
        selection[name] = sorted(selection[name])
    document = {"format": data.format, "selection": selection}
    options = data.options.model_dump(mode="json", exclude_defaults=True)
    if options:
        document["options"] = options
    canonical = json.dumps(document, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


async def check_selection(owner: UUID, data: ExportIn) -> None:
    """Refuse, naming the field, a selection naming something that is not the worker's."""
    selection = data.selection
    if selection.registration_id is not None:
        found = await Registration.exists().where(
            (Registration.id == selection.registration_id) & (Registration.owner == owner)
        )
        if not found:
            raise invalid_field("selection.registration_id", "no registration of yours has this id")
    if selection.framework_ids:
        wanted = set(selection.framework_ids)
        rows = await CompetenceFramework.select(CompetenceFramework.id).where(
            CompetenceFramework.id.is_in(list(wanted))
        )
        missing = sorted(str(value) for value in wanted - {row["id"] for row in rows})
        if missing:
            raise invalid_field("selection.framework_ids", f"no competence framework {missing[0]}")
    if selection.entry_ids:
        wanted = set(selection.entry_ids)
        found_ids: set[UUID] = set()
        for piece in chunks(list(wanted)):
            found_ids |= await repository.live_ids_of(owner, piece)
        missing = sorted(str(value) for value in wanted - found_ids)
        if missing:
            raise invalid_field("selection.entry_ids", f"no live entry of yours {missing[0]}")


async def _mapped_entries(owner: UUID, framework_ids: list[UUID]) -> set[UUID]:
    rows = await CompetenceLink.select(CompetenceLink.entry).where(
        CompetenceLink.owner == owner, CompetenceLink.framework.is_in(framework_ids)
    )
    return {row["entry"] for row in rows}


async def resolve(owner: UUID, selection: dict[str, Any]) -> Resolved:
    """The registrations and live entries (oldest first) a stored selection takes in."""
    registrations = await list_registrations(owner)
    period = selection.get("period") or {}
    starts = date.fromisoformat(period["from"]) if period.get("from") else None
    ends = date.fromisoformat(period["to"]) if period.get("to") else None
    if selection.get("registration_id"):
        registrations = [row for row in registrations if str(row["id"]) == selection["registration_id"]]
        if registrations and not period:
            starts, ends = registrations[0]["cycle_start"], registrations[0]["renewal_date"]
    rows = await repository.owner_entries_between(owner, starts, ends)
    if selection.get("framework_ids"):
        mapped = await _mapped_entries(owner, [UUID(value) for value in selection["framework_ids"]])
        rows = [row for row in rows if row["id"] in mapped]
    if selection.get("entry_ids"):
        named = {UUID(value) for value in selection["entry_ids"]}
        rows = [row for row in rows if row["id"] in named]
    return Resolved(starts, ends, registrations, rows)
