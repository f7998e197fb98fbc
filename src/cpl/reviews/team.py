"""A supervisor's team view: each supervisee's progress against their registrations,
counted over only what they share with the supervisor now.

Rules:
- The team is the workers the supervisor currently supervises (in any organisation).
- Progress is the requirements engine's (:mod:`cpl.requirements.progress`) over the
  supervisee's shared entries alone, with those entries' links and peer discussions; their
  gap explanations are not shared, so never counted. A supervisee who shares nothing shows
  nothing but their name.
- Registrations are shown (register, part, cycle, statuses; not the registration number)
  only for supervisees who share something with the supervisor.
- Each line says whether the organisation the supervision is through is vetted **now**
  ("vetted organisation" or "self-declared organisation"): verifications made through it
  carry the state they were made in (:mod:`cpl.organisations.vetting`).
- Everything is read in a handful of queries whatever the team's size. A supervisee's line
  is recomputed only when something it is computed from changed (:mod:`cpl.reviews.team_cache`);
  their entries then come from a per-process cache kept up to date by their change counter
  (see :mod:`cpl.evidence.summary_cache`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from cpl.evidence.repository import change_counters
from cpl.evidence.summary_cache import EntryCache
from cpl.kernel.registers import organisation_standing
from cpl.organisations import vetted_now
from cpl.organisations.tables import SupervisionLink
from cpl.requirements.library import shipped_library
from cpl.requirements.progress import earliest_start, registration_progress
from cpl.requirements.worker_record import WorkerRecord, load_entry_records, snapshot
from cpl.reviews.repository import team_registrations
from cpl.reviews.schemas import RegistrationStatus, TeamMemberOut, TeamOut
from cpl.reviews.tables import Review
from cpl.reviews.team_cache import ProgressCache, link_and_peer_state
from cpl.sharing.visibility import admitted, facts_for, visible_shares_among

TEAM_CACHE_KEY = "reviews_team_entry_cache"

Rows = dict[UUID, list[dict[str, Any]]]


@dataclass(frozen=True)
class Line:
    """What the team view shows of one supervisee's shared record."""

    shared_entries: int
    registrations: list[RegistrationStatus]


#: The line of a supervisee who shares nothing with the supervisor: only their name shows.
NOTHING_SHARED = Line(0, [])


async def _team(supervisor: UUID) -> list[dict[str, Any]]:
    rows = await SupervisionLink.select(
        SupervisionLink.worker, SupervisionLink.worker.display_name, SupervisionLink.organisation
    ).where((SupervisionLink.supervisor == supervisor) & SupervisionLink.ended_at.is_null())
    return list({row["worker"]: row for row in rows}.values())


async def _open_reviews(supervisor: UUID) -> dict[UUID, int]:
    rows = await Review.select(Review.owner).where((Review.reviewer == supervisor) & (Review.state == "submitted"))
    found: dict[UUID, int] = {}
    for row in rows:
        found[row["owner"]] = found.get(row["owner"], 0) + 1
    return found


async def _shares(supervisor: UUID, workers: set[UUID]) -> Rows:
    """Each supervisee's shares that grant the supervisor something now (none: absent)."""
    by_owner: Rows = {}
    for share in await visible_shares_among(supervisor, list(workers)):
        by_owner.setdefault(share["owner"], []).append(share)
    return by_owner


async def _registrations(supervisor: UUID, owners: list[UUID]) -> Rows:
    """These supervisees' registrations, oldest first."""
    found: Rows = {owner: [] for owner in owners}
    if owners:
        for row in await team_registrations(supervisor):
            if row["owner"] in found:
                found[row["owner"]].append(row)
    return found


def _statuses(registrations: list[dict[str, Any]], record: WorkerRecord, as_of: date) -> list[RegistrationStatus]:
    library = shipped_library()
    since = earliest_start(library, registrations, as_of)
    record = WorkerRecord(
        entries=[entry for entry in record.entries if entry.ends_on >= since],
        links=record.links,
        direct_links=record.direct_links,
        peers=record.peers,
    )
    found = []
    for registration in registrations:
        progress = registration_progress(library, registration, record, as_of)
        found.append(
            RegistrationStatus(
                registration_id=registration["id"],
                register=registration["register"],
                part=registration["part"],
                cycle_start=registration["cycle_start"],
                renewal_date=registration["renewal_date"],
                status=progress.status,
                rules={rule.id: rule.status for rule in progress.rules},
            )
        )
    return found


async def _computed(
    shares: Rows, seqs: dict[UUID, int], registrations: Rows, cache: EntryCache, as_of: date
) -> dict[UUID, Line]:
    """The lines of these supervisees, computed afresh (their entries through ``cache``)."""
    if not shares:
        return {}
    facts = await facts_for([share for owner_shares in shares.values() for share in owner_shares])
    shared = {
        owner: admitted(owner_shares, await cache.entries(owner, date.min, seqs[owner]), facts)
        for owner, owner_shares in shares.items()
    }
    records = await load_entry_records(shared)
    return {
        owner: Line(len(entries), _statuses(registrations[owner], records[owner], as_of))
        for owner, entries in shared.items()
    }


async def _lines(
    supervisor: UUID, shares: Rows, as_of: date, entries: EntryCache, lines: ProgressCache
) -> dict[UUID, Line]:
    """Each sharing supervisee's line: kept ones whose inputs are all as they were, the rest
    computed afresh and kept."""
    owners = list(shares)
    registrations = await _registrations(supervisor, owners)
    seqs = await change_counters(owners)
    state = await link_and_peer_state(supervisor, owners)
    keys = {
        owner: (
            seqs[owner],
            tuple(tuple(share.values()) for share in shares[owner]),
            tuple(tuple(row.values()) for row in registrations[owner]),
            *state[owner],
            as_of,
        )
        for owner in owners
    }
    found = {owner: lines.get(supervisor, owner, keys[owner]) for owner in owners}
    missing = {owner: shares[owner] for owner, line in found.items() if line is None}
    for owner, line in (await _computed(missing, seqs, registrations, entries, as_of)).items():
        lines.put(supervisor, owner, keys[owner], line)
        found[owner] = line
    return found


def _member(row: dict[str, Any], line: Line, open_reviews: int, vetted: bool) -> TeamMemberOut:
    return TeamMemberOut(
        worker_id=row["worker"],
        display_name=row["worker.display_name"],
        organisation_id=row["organisation"],
        organisation_vetted=vetted,
        organisation_standing=organisation_standing(vetted),
        shared_entries=line.shared_entries,
        open_reviews=open_reviews,
        registrations=line.registrations,
    )


async def team_view(supervisor: UUID, as_of: date, entries: EntryCache, lines: ProgressCache) -> TeamOut:
    async with snapshot():
        team = await _team(supervisor)
        shares = await _shares(supervisor, {row["worker"] for row in team})
        found = await _lines(supervisor, shares, as_of, entries, lines)
        reviews = await _open_reviews(supervisor)
        vetted = await vetted_now([row["organisation"] for row in team])
    members = [
        _member(
            row, found.get(row["worker"], NOTHING_SHARED), reviews.get(row["worker"], 0), vetted[row["organisation"]]
        )
        for row in sorted(team, key=lambda row: (row["worker.display_name"], str(row["worker"])))
    ]
    return TeamOut(as_of=as_of, members=members)
