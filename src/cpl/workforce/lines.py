"""Each worker sharing with an organisation, and their line in its workforce view.

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
- Kept per process, so every answer equals one computed afresh: the whole list, with one row of
  aggregates over everything it depends on (read on every request); when that row moved, each
  line with everything it was computed from (change counter, shares, registrations, link ids,
  peer discussions, the day), read afresh in the same snapshot: a line is reused only when every
  one is as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from cpl.evidence.summaries import Entry, read_entries
from cpl.requirements.library import shipped_library
from cpl.requirements.progress import earliest_start, registration_progress
from cpl.requirements.worker_record import WorkerRecord, load_entry_records, snapshot
from cpl.reviews.team_cache import ProgressCache
from cpl.sharing.repository import organisation_share_state, organisation_shares
from cpl.sharing.visibility import admitted, facts_for
from cpl.workforce import repository
from cpl.workforce.schemas import STATUS_ORDER, MandatoryItem, SupervisorRef, WorkforceRegistrationOut

STATE_KEY = "workforce_line_cache"
#: Workers computed together: their links and peer discussions are read in one query per batch.
BATCH = 250

Rows = dict[UUID, list[dict[str, Any]]]


@dataclass(frozen=True, slots=True)
class Line:
    """What the workforce view shows of one worker's shared record."""

    shared_entries: int
    last_activity: date | None
    registrations: tuple[WorkforceRegistrationOut, ...]
    #: The worst of the registrations' statuses (``no_registration`` without any).
    status: str


@dataclass(frozen=True, slots=True)
class Worker:
    id: UUID
    display_name: str
    supervisors: tuple[SupervisorRef, ...]
    line: Line


def worst_status(registrations: tuple[WorkforceRegistrationOut, ...]) -> str:
    if not registrations:
        return "no_registration"
    return min((registration.status for registration in registrations), key=STATUS_ORDER.index)


def line_cache(state: Any, size: int) -> ProgressCache:
    """The app's cache of (organisation, worker) lines, made on first use."""
    cache = state.get(STATE_KEY)
    if cache is None:
        cache = state[STATE_KEY] = ProgressCache(size)
    return cache


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


def _line(entries: list[Entry], registrations: list[dict[str, Any]], record: WorkerRecord, as_of: date) -> Line:
    since = earliest_start(shipped_library(), registrations, as_of)
    record = WorkerRecord(
        entries=[entry for entry in record.entries if entry.ends_on >= since],
        links=record.links,
        direct_links=record.direct_links,
        peers=record.peers,
    )
    shown = tuple(_registration(row, record, as_of) for row in registrations)
    return Line(
        shared_entries=len(entries),
        last_activity=max((entry.ends_on for entry in entries), default=None),
        registrations=shown,
        status=worst_status(shown),
    )


async def _computed(organisation: UUID, owners: list[UUID], as_of: date) -> dict[UUID, Line]:
    """These workers' lines, computed afresh from the entries their shares admit."""
    shares: Rows = {owner: [] for owner in owners}
    for share in await organisation_shares(organisation, owners):
        shares[share["owner"]].append(share)
    registrations: Rows = {owner: [] for owner in owners}
    for row in await repository.registrations_of(owners):
        registrations[row["owner"]].append(row)
    facts = await facts_for([share for owner_shares in shares.values() for share in owner_shares])
    shared = {
        owner: admitted(owner_shares, await read_entries(owner, date.min), facts)
        for owner, owner_shares in shares.items()
    }
    records = await load_entry_records(shared)
    return {owner: _line(shared[owner], registrations[owner], records[owner], as_of) for owner in shared}


def _grouped(rows: list[dict[str, Any]]) -> dict[str, list[tuple]]:
    found: dict[str, list[tuple]] = {}
    for row in rows:
        found.setdefault(row["owner"], []).append(tuple(row.values()))
    return found


async def _keys(organisation: UUID, shares: dict[str, list[tuple]], as_of: date) -> dict[str, tuple]:
    """Everything each worker's line is computed from, read afresh (as text: the same on both
    databases, and cheap to compare for 10,000 workers)."""
    seqs = await repository.sharing_change_counters(organisation)
    registrations = _grouped(await repository.sharing_registration_state(organisation))
    links = _grouped(await repository.sharing_link_ids(organisation))
    peers = _grouped(await repository.sharing_peer_discussions(organisation))
    return {
        owner: (
            seqs.get(owner, 0),
            tuple(owner_shares),
            tuple(registrations.get(owner, ())),
            frozenset(links.get(owner, ())),
            frozenset(peers.get(owner, ())),
            as_of,
        )
        for owner, owner_shares in shares.items()
    }


async def _lines(
    organisation: UUID, shares: dict[str, list[tuple]], as_of: date, cache: ProgressCache
) -> dict[str, Line]:
    """Each sharing worker's line: kept ones whose inputs are all as they were, the rest computed
    afresh (a batch at a time) and kept."""
    keys = await _keys(organisation, shares, as_of)
    found = {owner: cache.get(organisation, owner, keys[owner]) for owner in shares}
    missing = [UUID(owner) for owner, line in found.items() if line is None]
    for start in range(0, len(missing), BATCH):
        for owner, line in (await _computed(organisation, missing[start : start + BATCH], as_of)).items():
            cache.put(organisation, str(owner), keys[str(owner)], line)
            found[str(owner)] = line
    return found


async def _workers(organisation: UUID, as_of: date, cache: ProgressCache) -> list[Worker]:
    shares: dict[str, list[tuple]] = {}
    names: dict[str, str] = {}
    for share in await organisation_share_state(organisation):
        names[share["owner"]] = share.pop("display_name")
        shares.setdefault(share["owner"], []).append(tuple(share.values()))
    lines = await _lines(organisation, shares, as_of, cache)
    supervisors: dict[str, list[SupervisorRef]] = {}
    for row in await repository.current_supervisors(organisation):
        supervisors.setdefault(row["worker"], []).append(
            SupervisorRef(id=UUID(row["supervisor"]), display_name=row["display_name"])
        )
    workers = [Worker(UUID(owner), names[owner], tuple(supervisors.get(owner, ())), lines[owner]) for owner in shares]
    return sorted(workers, key=lambda worker: (worker.display_name, str(worker.id)))


async def sharing_workers(organisation: UUID, as_of: date, cache: ProgressCache) -> list[Worker]:
    """Every worker sharing with the organisation, with their line, by name.

    The whole list is kept with the organisation's state (:func:`.repository.workforce_state`: its
    shares, their owners' records and names), its supervision links and the day: while none of these moved, the kept
    list is the answer; otherwise each line is checked against what it was computed from."""
    async with snapshot():
        supervisors = tuple(tuple(row.values()) for row in await repository.current_supervisors(organisation))
        state = (await repository.workforce_state(organisation), supervisors, as_of)
        kept = cache.get(organisation, None, state)
        if kept is not None:
            return kept
        workers = await _workers(organisation, as_of, cache)
    cache.put(organisation, None, state, workers)
    return workers
