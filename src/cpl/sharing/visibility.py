"""What a viewer may see of someone else's record: the one place it is decided.

Rules:
- Nothing is visible unless its owner shared it; a share grants reading, never writing.
- A share with a supervisor grants while the share is in force and the supervisor still
  supervises the worker in that organisation (the link ends when either leaves).
- A share with an organisation grants its current admins, supervisors and auditors.
- ``entries`` shares grant the chosen entries; ``filter`` shares grant every live entry
  matching all of the filter's parts *when it is read*, so entries logged later are shared
  too: ``occurred_from``/``occurred_to`` bound ``occurred_on``; ``framework`` needs a link to
  an item of that framework edition; ``registration`` needs the entry to end within that
  registration's cycle as it stands (``cycle_start`` to ``renewal_date``; a deleted
  registration matches nothing). Deleted entries are never visible.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from cpl.competences.tables import CompetenceLink
from cpl.errors import NotFound
from cpl.evidence import repository
from cpl.evidence.summaries import Entry, read_entries_of
from cpl.requirements.tables import Registration
from cpl.sharing.repository import shares_granting
from cpl.sharing.tables import SharedEntry

#: Roles of an organisation's members who see what is shared with the organisation.
ORGANISATION_VIEWERS = ("admin", "supervisor", "auditor")


@dataclass
class Facts:
    """What shares' filters need to know besides the entries themselves."""

    #: ``entries`` share → the ids of the entries chosen.
    chosen: dict[UUID, set[str]] = field(default_factory=dict)
    #: Framework edition → ids of entries linked to one of its items.
    linked: dict[UUID, set[str]] = field(default_factory=dict)
    #: Registration → its cycle as it stands.
    cycles: dict[UUID, tuple[date, date]] = field(default_factory=dict)


async def visible_shares(viewer: UUID, owner: UUID | None = None) -> list[dict[str, Any]]:
    """The shares in force that grant ``viewer`` something (of ``owner``'s, when given)."""
    return await shares_granting(viewer, None if owner is None else [owner])


async def visible_shares_among(viewer: UUID, owners: list[UUID]) -> list[dict[str, Any]]:
    """The shares in force that grant ``viewer`` something, of these owners' (a supervisor's team)."""
    return await shares_granting(viewer, owners) if owners else []


async def facts_for(shares: list[dict[str, Any]]) -> Facts:
    """Read, in at most three queries, what the shares' filters refer to."""
    facts = Facts()
    chosen = [share["id"] for share in shares if share["scope"] == "entries"]
    if chosen:
        for row in await SharedEntry.select(SharedEntry.share, SharedEntry.entry).where(
            SharedEntry.share.is_in(chosen)
        ):
            facts.chosen.setdefault(row["share"], set()).add(str(row["entry"]))
    frameworks = {share["framework"] for share in shares if share["framework"]}
    owners = list({share["owner"] for share in shares if share["framework"]})
    if frameworks:
        rows = await CompetenceLink.select(CompetenceLink.framework, CompetenceLink.entry).where(
            CompetenceLink.framework.is_in(list(frameworks)) & CompetenceLink.owner.is_in(owners)
        )
        for row in rows:
            facts.linked.setdefault(row["framework"], set()).add(str(row["entry"]))
    registrations = [share["registration"] for share in shares if share["registration"]]
    if registrations:
        for row in await Registration.select(
            Registration.id, Registration.owner, Registration.cycle_start, Registration.renewal_date
        ).where(Registration.id.is_in(registrations)):
            facts.cycles[row["id"]] = (row["cycle_start"], row["renewal_date"])
    return facts


def admits(share: dict[str, Any], entry: Entry, facts: Facts) -> bool:
    """Whether ``share`` (in force, granting the viewer) covers ``entry`` (live, its owner's)."""
    if share["scope"] == "entries":
        return entry.id in facts.chosen.get(share["id"], ())
    if share["occurred_from"] and entry.occurred_on < share["occurred_from"]:
        return False
    if share["occurred_to"] and entry.occurred_on > share["occurred_to"]:
        return False
    if share["framework"] and entry.id not in facts.linked.get(share["framework"], ()):
        return False
    if share["registration"]:
        cycle = facts.cycles.get(share["registration"])
        return cycle is not None and cycle[0] <= entry.ends_on <= cycle[1]
    return True


def admitted(shares: list[dict[str, Any]], entries: list[Entry], facts: Facts) -> list[Entry]:
    """The entries at least one of the owner's shares covers, in their given order (all of
    them at once when a filter share without any part shares everything)."""
    if any(share["scope"] == "filter" and not any(share[part] for part in FILTER_PARTS) for share in shares):
        return list(entries)
    return [entry for entry in entries if any(admits(share, entry, facts) for share in shares)]


FILTER_PARTS = ("occurred_from", "occurred_to", "framework", "registration")


async def shared_entries(shares: list[dict[str, Any]]) -> dict[UUID, list[Entry]]:
    """Each owner's live entries that their shares among ``shares`` (in force, granting one viewer)
    cover, in order of their end dates: a few statements however many owners (an organisation's
    workforce is judged 500 workers at a time, bench.workforce)."""
    by_owner: dict[UUID, list[dict[str, Any]]] = {}
    for share in shares:
        by_owner.setdefault(share["owner"], []).append(share)
    if not by_owner:
        return {}
    facts = await facts_for(shares)
    entries = await read_entries_of(list(by_owner), date.min)
    return {owner: admitted(owner_shares, entries[owner], facts) for owner, owner_shares in by_owner.items()}


async def visible_entry(viewer: UUID, entry_id: UUID) -> dict[str, Any]:
    """The live entry, if a share grants ``viewer`` it; "not found" otherwise (whether it
    exists is not the viewer's to know)."""
    row = await repository.entry_by_id(entry_id)
    shares = await visible_shares(viewer, row["owner"]) if row and row["deleted_at"] is None else []
    if not shares or not admitted(shares, [as_entry(row)], await facts_for(shares)):
        raise NotFound("No shared evidence entry with this id.")
    return row


def as_entry(row: dict[str, Any]) -> Entry:
    """The few fields of a stored entry that shares' filters look at."""
    return Entry(
        str(row["id"]),
        row["kind"],
        row["title"],
        row["occurred_on"],
        row["ended_on"] or row["occurred_on"],
        row["duration_minutes"],
        row["participatory"],
        row["activity_type"],
        False,
    )
