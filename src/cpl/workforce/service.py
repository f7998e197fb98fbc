"""The workforce view of an organisation: who shares with it, and where each stands.

Rules:
- Only a current admin of the organisation sees it (a non-member: 404; another member: 403).
  Shares with the organisation grant its supervisors and auditors too, but the workforce view
  is the employer's (or regulator's) management view: supervisors have their team view,
  auditors open one registrant's shared record.
- Filters (all given must hold): ``team`` — workers a supervisor currently supervises in the
  organisation; ``register`` — registrations on that register; ``status`` — registrations
  with that status (``no_registration``: workers sharing without any registration);
  ``due_within`` — registrations due on or before ``as_of`` plus that many days (overdue
  included). A worker none of whose registrations is kept drops out; with no registration
  filter, a worker without registrations stays, as ``no_registration``.
- A worker's status is the worst of the registrations kept; ``counts`` and ``total`` are over
  the whole filtered set, not the page. Pages follow the workers' names, then ids.

Every answer is read from the stored lines (:mod:`cpl.workforce.store`) after the organisation's
marked lines are judged (:func:`cpl.workforce.refresh.judge_marked`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from cpl.errors import invalid_field
from cpl.kernel.pagination import after_keyset, encode_cursor
from cpl.organisations.service import admin_organisation
from cpl.requirements.library import shipped_library
from cpl.requirements.worker_record import snapshot
from cpl.workforce import repository, store
from cpl.workforce.refresh import judge_marked
from cpl.workforce.schemas import (
    STATUS_ORDER,
    SupervisorRef,
    WorkforcePage,
    WorkforceWorkerOut,
    decode_registrations,
)

#: Workers read per statement while a CSV streams.
CHUNK = 500


@dataclass(frozen=True)
class Filters:
    team: UUID | None = None
    register: str | None = None
    status: str | None = None
    due_within: int | None = None

    def check(self) -> None:
        """A register no pack knows is refused (422, naming the parameter, as every well-formed but
        wrong value is: :mod:`cpl.problems`)."""
        registers = shipped_library().editions
        if self.register is not None and self.register not in registers:
            raise invalid_field("register", f"not a register cpl knows; use one of {', '.join(sorted(registers))}")

    def selection(self, as_of: date) -> store.Selection:
        return store.Selection(
            team=self.team,
            register=self.register,
            status_rank=None if self.status is None else STATUS_ORDER.index(self.status),
            due_by=None if self.due_within is None else as_of + timedelta(days=self.due_within),
        )


async def judged_selection(caller: UUID, organisation: UUID, filters: Filters, as_of: date) -> store.Selection:
    """Check the caller and the filters, and bring the organisation's lines up to date for ``as_of``."""
    filters.check()
    await admin_organisation(caller, organisation)
    await judge_marked(organisation, as_of)
    return filters.selection(as_of)


async def _workers_out(organisation: UUID, rows: list[dict[str, Any]]) -> list[WorkforceWorkerOut]:
    """Stored lines as the API shows them, each with only the registrations kept and its supervisors."""
    supervisors = await repository.supervisors_of(organisation, [UUID(row["worker"]) for row in rows])
    found = []
    for row in rows:
        registrations = decode_registrations(row["registrations"])
        if row.get("kept") is not None:
            kept = set(row["kept"].split(","))
            registrations = [shown for shown in registrations if str(shown.registration_id) in kept]
        worker = UUID(row["worker"])
        found.append(
            WorkforceWorkerOut(
                worker_id=worker,
                display_name=row["display_name"],
                status=STATUS_ORDER[row["status_rank"]],
                shared_entries=row["shared_entries"],
                last_activity=date.fromisoformat(row["last_activity"]) if row["last_activity"] else None,
                supervisors=[SupervisorRef(id=id, display_name=name) for id, name in supervisors.get(worker, ())],
                registrations=registrations,
            )
        )
    return found


async def workforce_page(
    caller: UUID, organisation: UUID, filters: Filters, as_of: date, page: tuple[str | None, int]
) -> WorkforcePage:
    """One page of the filtered set (``page``: the cursor and the page size), with its counts."""
    cursor, limit = page
    after = None if cursor is None else after_keyset(cursor, str)
    selection = await judged_selection(caller, organisation, filters, as_of)
    async with snapshot():
        rows = await store.page(organisation, selection, after, limit + 1)
        counts = await store.counts(organisation, selection)
        items = await _workers_out(organisation, rows[:limit])
    last = rows[limit - 1] if len(rows) > limit else None
    return WorkforcePage(
        as_of=as_of,
        total=sum(counts.values()),
        counts=counts,
        items=items,
        next_cursor=encode_cursor(last["display_name"], last["worker"]) if last else None,
    )


async def all_workers(organisation: UUID, selection: store.Selection) -> AsyncIterator[list[WorkforceWorkerOut]]:
    """The whole filtered set, ``CHUNK`` workers at a time, by name (memory stays flat)."""
    after = None
    while True:
        rows = await store.page(organisation, selection, after, CHUNK)
        if rows:
            yield await _workers_out(organisation, rows)
        if len(rows) < CHUNK:
            return
        after = (rows[-1]["display_name"], UUID(rows[-1]["worker"]))
