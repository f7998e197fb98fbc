"""A worker's progress against every register they are on.

Rules:
- Each registration is judged against one edition of its register's pack: the one it
  pins (``pack_edition``), otherwise the edition in force on the day asked about.
- Only the rules for the registration's part apply (NMC: 450 practice hours, or 900 for
  a nurse and midwife; SSSC: 12 hours more for early learning and childcare).
- A registration's status is the worst of its rules' (not met, at risk, on track, met).
- Everything is read once per request (entries, links, discussions, explanations), then
  every rule of every registration is judged in memory.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from cpl.evidence.summary_cache import EntryCache
from cpl.requirements.library import PackLibrary, shipped_library
from cpl.requirements.pack import RequirementPack
from cpl.requirements.periods import period_for
from cpl.requirements.rules import Judged, evaluate, worst
from cpl.requirements.schemas import PackOut, PackRef, ProgressOut, RegistrationProgress, RuleSummary, SourceOut
from cpl.requirements.service import list_registrations, registration_out
from cpl.requirements.worker_record import WorkerRecord, load_record, snapshot


def pack_out(pack: RequirementPack) -> PackOut:
    return PackOut(
        register=pack.register,
        edition=pack.edition,
        title=pack.title,
        regulator=pack.regulator,
        effective_from=pack.effective_from,
        effective_to=pack.effective_to,
        source=SourceOut(title=pack.source.title, url=pack.source.url),
        description=pack.description,
        parts=dict(pack.parts),
        rules=[
            RuleSummary(
                id=rule.id,
                title=rule.title,
                type=rule.type,
                applies_to_parts=rule.applies_to_parts,
                source=SourceOut(title=rule.source.title, url=rule.source.url),
            )
            for rule in pack.rules
        ],
    )


def pack_ref(pack: RequirementPack) -> PackRef:
    return PackRef(
        register=pack.register,
        edition=pack.edition,
        title=pack.title,
        effective_from=pack.effective_from,
        effective_to=pack.effective_to,
        source=SourceOut(title=pack.source.title, url=pack.source.url),
    )


def pack_for(library: PackLibrary, registration: dict[str, Any], as_of: date) -> RequirementPack:
    pinned = registration["pack_edition"] and library.edition(registration["register"], registration["pack_edition"])
    return pinned or library.in_force(registration["register"], as_of)


def judged_for(registration: dict[str, Any], record: WorkerRecord, as_of: date) -> Judged:
    return Judged(
        record=record,
        as_of=as_of,
        cycle_start=registration["cycle_start"],
        renewal_date=registration["renewal_date"],
        explanations=record.explanations.get(registration["id"], []),
    )


def registration_progress(
    library: PackLibrary, registration: dict[str, Any], record: WorkerRecord, as_of: date
) -> RegistrationProgress:
    pack = pack_for(library, registration, as_of)
    judged = judged_for(registration, record, as_of)
    rules = [evaluate(pack, rule, judged) for rule in pack.rules_for(registration["part"])]
    return RegistrationProgress(
        registration=registration_out(registration),
        pack=pack_ref(pack),
        status=worst([rule.status for rule in rules]),
        rules=rules,
    )


def earliest_start(library: PackLibrary, registrations: list[dict[str, Any]], as_of: date) -> date:
    """The first day any of the registrations' rules looks at: older entries are not read."""
    starts = [as_of]
    for registration in registrations:
        pack = pack_for(library, registration, as_of)
        for rule in pack.rules_for(registration["part"]):
            deadline = pack.deadline_of(rule)
            starts.append(period_for(deadline, registration["cycle_start"], registration["renewal_date"], as_of).start)
    return min(starts)


async def my_progress(owner: UUID, as_of: date, cache: EntryCache | None = None) -> ProgressOut:
    """Every registration of the owner's, each rule judged as of ``as_of``."""
    library = shipped_library()
    async with snapshot():
        registrations = await list_registrations(owner)
        if not registrations:
            return ProgressOut(as_of=as_of, registrations=[])
        since = earliest_start(library, registrations, as_of)
        entries = await cache.entries(owner, since) if cache is not None else None
        record = await load_record(owner, since, entries)
    return ProgressOut(
        as_of=as_of, registrations=[registration_progress(library, row, record, as_of) for row in registrations]
    )
