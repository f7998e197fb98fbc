"""Judging a worker's line in an organisation's workforce view, over only what they share with it.

Rules:
- The workforce is the workers with a share in force with the organisation itself (not
  with one of its supervisors): such a share grants the organisation's admins, supervisors
  and auditors (:mod:`cpl.sharing.visibility`). A worker who shares only with a supervisor,
  or whose shares ended, is not in it.
- A worker's line is counted over only the entries their shares with the organisation admit
  now, with those entries' framework links and peer discussions; gap explanations are not
  entries and are never shared, so never counted (as the supervisor's team view,
  :mod:`cpl.reviews.team`). Registrations show register, part, cycle, due date and statuses
  (the requirements engine's, :mod:`cpl.requirements.progress`), never the registration number.
- Mandatory learning is every item a rule requires covered: the SSSC's core learning
  elements and mandatory topics since June 2024 (``sssc-2024.json``, "SSSC: Continuous
  professional learning, core learning elements", learn.sssc.uk.com/cpl/introduction;
  DOMAIN.md), done or missing.

Lines are judged here and stored by :mod:`cpl.workforce.refresh`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from cpl.evidence.summaries import Entry
from cpl.requirements.library import shipped_library
from cpl.requirements.progress import earliest_start, registration_progress
from cpl.requirements.worker_record import WorkerRecord, load_entry_records, snapshot
from cpl.sharing.repository import organisation_shares
from cpl.sharing.visibility import shared_entries
from cpl.workforce import repository
from cpl.workforce.schemas import STATUS_ORDER, MandatoryItem, WorkforceRegistrationOut

Rows = dict[UUID, list[dict[str, Any]]]


@dataclass(frozen=True, slots=True)
class Line:
    """What the workforce view shows of one worker's shared record, judged on one day."""

    display_name: str
    shared_entries: int
    last_activity: date | None
    registrations: tuple[WorkforceRegistrationOut, ...]
    #: The worst of the registrations' statuses (``no_registration`` without any).
    status: str


def worst_status(registrations: tuple[WorkforceRegistrationOut, ...]) -> str:
    if not registrations:
        return "no_registration"
    return min((registration.status for registration in registrations), key=STATUS_ORDER.index)


def _registration(registration: dict[str, Any], record: WorkerRecord, as_of: date) -> WorkforceRegistrationOut:
    progress = registration_progress(shipped_library(), registration, record, as_of)
    return WorkforceRegistrationOut(
        registration_id=registration["id"],
        register=registration["register"],
        part=registration["part"],
        cycle_start=registration["cycle_start"],
        renewal_date=registration["renewal_date"],
        due_on=min((rule.due_on for rule in progress.rules), default=registration["renewal_date"]),
        status=progress.status,
        rules={rule.id: rule.status for rule in progress.rules},
        mandatory_learning=[
            MandatoryItem(code=item.code, title=item.title, role=item.role, covered=item.covered)
            for rule in progress.rules
            for item in rule.items or ()
        ],
    )


def _line(name: str, entries: list[Entry], registrations: list[dict[str, Any]], record: WorkerRecord, as_of: date):
    since = earliest_start(shipped_library(), registrations, as_of)
    record = WorkerRecord(
        entries=[entry for entry in record.entries if entry.ends_on >= since],
        links=record.links,
        direct_links=record.direct_links,
        peers=record.peers,
    )
    shown = tuple(_registration(row, record, as_of) for row in registrations)
    return Line(
        display_name=name,
        shared_entries=len(entries),
        last_activity=max((entry.ends_on for entry in entries), default=None),
        registrations=shown,
        status=worst_status(shown),
    )


async def judged_lines(organisation: UUID, owners: list[UUID], as_of: date) -> dict[UUID, Line]:
    """The lines of those of these workers who share with the organisation now (the others have
    none), judged afresh as of ``as_of`` from one consistent view of their records: each worker's
    from their own entries that their shares with the organisation admit, however many workers
    are judged together (a handful of statements for all of them)."""
    async with snapshot():
        shares = await organisation_shares(organisation, owners)
        shared = await shared_entries(shares)
        if not shared:
            return {}
        sharing = list(shared)
        registrations: Rows = {owner: [] for owner in sharing}
        for row in await repository.registrations_of(sharing):
            registrations[row["owner"]].append(row)
        names = await repository.names_of(sharing)
        records = await load_entry_records(shared)
    return {owner: _line(names[owner], shared[owner], registrations[owner], records[owner], as_of) for owner in shared}
