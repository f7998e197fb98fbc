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
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from cpl.errors import invalid_field
from cpl.kernel.pagination import decode_cursor, encode_cursor
from cpl.organisations.service import admin_organisation
from cpl.requirements.library import shipped_library
from cpl.reviews.team_cache import ProgressCache
from cpl.workforce.lines import Worker, sharing_workers, worst_status
from cpl.workforce.schemas import STATUS_ORDER, WorkforcePage, WorkforceRegistrationOut, WorkforceWorkerOut


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


#: No filter: the whole workforce.
EVERYONE = Filters()


@dataclass(frozen=True, slots=True)
class Kept:
    """A worker of the filtered set: their registrations kept, and the worst of their statuses."""

    worker: Worker
    registrations: tuple[WorkforceRegistrationOut, ...]
    status: str


def _keeps(filters: Filters, registration: WorkforceRegistrationOut, as_of: date) -> bool:
    if filters.register is not None and registration.register != filters.register:
        return False
    if filters.status is not None and registration.status != filters.status:
        return False
    return filters.due_within is None or registration.due_on <= as_of + timedelta(days=filters.due_within)


def _kept(worker: Worker, filters: Filters, as_of: date) -> Kept | None:
    if filters == EVERYONE:
        return Kept(worker, worker.line.registrations, worker.line.status)
    if filters.team is not None and all(supervisor.id != filters.team for supervisor in worker.supervisors):
        return None
    registrations = worker.line.registrations
    if not registrations:
        bare = filters.register is None and filters.due_within is None and filters.status in (None, "no_registration")
        return Kept(worker, (), "no_registration") if bare else None
    kept = tuple(registration for registration in registrations if _keeps(filters, registration, as_of))
    if not kept:
        return None
    return Kept(worker, kept, worst_status(kept))


@dataclass(frozen=True, slots=True)
class Filtered:
    """The whole filtered set, by name, with what every page of it shows."""

    rows: list[Kept]
    #: Each row's (name, id), in order: where a cursor's page starts.
    positions: list[tuple[str, str]]
    counts: dict[str, int]


def _filtered(workers: list[Worker], filters: Filters, as_of: date) -> Filtered:
    rows = [kept for worker in workers if (kept := _kept(worker, filters, as_of)) is not None]
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for kept in rows:
        counts[kept.status] += 1
    return Filtered(rows, [(kept.worker.display_name, str(kept.worker.id)) for kept in rows], counts)


async def filtered(caller: UUID, organisation: UUID, filters: Filters, as_of: date, cache: ProgressCache) -> Filtered:
    """The whole filtered set, kept with the very list of workers it was made from (a new list is
    made whenever anything changed: :func:`cpl.workforce.lines.sharing_workers`)."""
    filters.check()
    await admin_organisation(caller, organisation)
    workers = await sharing_workers(organisation, as_of, cache)
    kept = cache.get(organisation, (filters, as_of), id(workers))
    if kept is None or kept[0] is not workers:
        kept = (workers, _filtered(workers, filters, as_of))
        cache.put(organisation, (filters, as_of), id(workers), kept)
    return kept[1]


def worker_out(kept: Kept) -> WorkforceWorkerOut:
    worker = kept.worker
    return WorkforceWorkerOut(
        worker_id=worker.id,
        display_name=worker.display_name,
        status=kept.status,
        shared_entries=worker.line.shared_entries,
        last_activity=worker.line.last_activity,
        supervisors=list(worker.supervisors),
        registrations=list(kept.registrations),
    )


async def workforce_page(
    caller: UUID,
    organisation: UUID,
    filters: Filters,
    as_of: date,
    page: tuple[str | None, int],
    cache: ProgressCache,
) -> WorkforcePage:
    """One page of the filtered set (``page``: the cursor and the page size), with its counts."""
    found = await filtered(caller, organisation, filters, as_of, cache)
    cursor, limit = page
    start = 0 if cursor is None else bisect.bisect_right(found.positions, tuple(decode_cursor(cursor, 2)))
    items = found.rows[start : start + limit]
    more = start + limit < len(found.rows)
    return WorkforcePage(
        as_of=as_of,
        total=len(found.rows),
        counts=found.counts,
        items=[worker_out(kept) for kept in items],
        next_cursor=encode_cursor(*found.positions[start + limit - 1]) if more else None,
    )
