"""A worker's record as the rules read it: live entries (summarised by
:mod:`cpl.evidence.summaries`), their framework links, peer discussions and gap explanations,
read in a handful of queries per request.

Rules:
- Only the worker's own live entries count: a deleted entry stops counting at once,
  whatever it counted for before.
- An entry counts whole, in the period in which it *ended* (``ended_on``, or
  ``occurred_on`` when it has no end date): a course from 28 November to 2 December
  counts for the year that holds 2 December, never pro rata. For gaps, an entry is
  activity on every day from ``occurred_on`` to its end.
- A link to a framework item also counts for every item above it (a link to the Code's
  standard 17 is a link to "Preserve safety" and to the Code), following the tree cpl
  ships for the built-in framework; links to other frameworks are not read. The crosswalk
  between frameworks does not count: a regulator's requirement is met by links to its own
  framework.
"""

from __future__ import annotations

import bisect
import functools
import operator
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from cpl.competences.builtin import framework_identifier
from cpl.competences.repository import links_to_frameworks
from cpl.evidence.summaries import Entry, read_entries, read_entries_of
from cpl.requirements.library import framework_codes, item_titles
from cpl.requirements.repository import peer_discussions
from cpl.requirements.tables import GapExplanation


@dataclass(frozen=True, slots=True)
class Explanation:
    id: UUID
    starts_on: date
    ends_on: date
    reason: str


@dataclass
class WorkerRecord:
    #: Live entries, in the order of the day they ended.
    entries: list[Entry]
    #: Entry → every ``(framework key, code)`` it is linked to, items above included.
    links: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    #: Entry → the ``(framework key, code)`` pairs it is linked to directly.
    direct_links: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    #: ``(framework key, code)`` → the item's title (the built-in frameworks', shared: never changed).
    item_titles: dict[tuple[str, str], str] = field(default_factory=item_titles)
    #: Entry → its peer discussion record.
    peers: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Registration → its gap explanations.
    explanations: dict[UUID, list[Explanation]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        #: Kind (None: every kind) → its entries, and their end dates, in order; each made when first
        #: asked for (a reminders run makes 100,000 records and asks each for a few kinds).
        self._by_kind: dict[str | None, tuple[list[Entry], list[date]]] = {}

    def _kind_between(self, kind: str | None, first: date, last: date) -> list[Entry]:
        found = self._by_kind.get(kind)
        if found is None:
            entries = self.entries if kind is None else [entry for entry in self.entries if entry.kind == kind]
            found = self._by_kind[kind] = (entries, [entry.ends_on for entry in entries])
        entries, ends = found
        return entries[bisect.bisect_left(ends, first) : bisect.bisect_right(ends, last)]

    def ended_between(self, first: date, last: date, kinds: list[str] | None) -> list[Entry]:
        """Entries of these kinds (any kind: None) that ended from ``first`` to ``last``, in
        the order of their end dates."""
        if kinds is None or len(kinds) == 1:
            return self._kind_between(kinds[0] if kinds else None, first, last)
        return sorted((entry for kind in kinds for entry in self._kind_between(kind, first, last)), key=_ENDS_ON)


_ENDS_ON = operator.attrgetter("ends_on")


@functools.cache
def built_in_frameworks() -> dict[str, str]:
    """CASE identifier → key of every built-in framework (links to others are not read)."""
    return {framework_identifier(key): key for key in sorted(framework_codes())}


async def _framework_links(owner: UUID, record: WorkerRecord) -> None:
    """Each live entry's links, with every item above the linked one (the shipped tree)."""
    _add_links(record, await links_to_frameworks([owner], list(built_in_frameworks())))


def _add_links(record: WorkerRecord, links: list[dict[str, Any]]) -> None:
    frameworks = built_in_frameworks()
    parents = framework_codes()
    live = {entry.id for entry in record.entries}
    for link in links:
        if link["entry"] not in live:
            continue
        key, code = frameworks[link["identifier"]], link["code"]
        record.direct_links.setdefault(link["entry"], []).append((key, code))
        found = record.links.setdefault(link["entry"], set())
        while code is not None:
            found.add((key, code))
            code = parents[key].get(code)


def snapshot():
    """A read-only transaction around a request's reads: one connection (SQLite opens one per
    query otherwise) and one consistent view of entries, links and registrations."""
    return GapExplanation._meta.db.transaction()


async def _explanations(owners: list[UUID]) -> dict[UUID, dict[UUID, list[Explanation]]]:
    """Owner → registration → its gap explanations, in order of their first day."""
    found: dict[UUID, dict[UUID, list[Explanation]]] = defaultdict(lambda: defaultdict(list))
    rows = await GapExplanation.select().where(GapExplanation.owner.is_in(owners)).order_by(GapExplanation.starts_on)
    for row in rows:
        found[row["owner"]][row["registration"]].append(
            Explanation(row["id"], row["starts_on"], row["ends_on"], row["reason"])
        )
    return found


async def load_records(owners: list[UUID], since: date) -> dict[UUID, WorkerRecord]:
    """Several workers' whole records (as :func:`load_record`) of entries ending on or after
    ``since``, in a handful of statements however many workers (reminders, bench.reminders)."""
    if not owners:
        return {}
    records = await load_entry_records(await read_entries_of(owners, since))
    explanations = await _explanations(owners)
    for owner, record in records.items():
        record.explanations = {registration: list(rows) for registration, rows in explanations[owner].items()}
    return records


async def load_record(owner: UUID, since: date = date.min, entries: list[Entry] | None = None) -> WorkerRecord:
    """Everything of the owner's that any rule may count, of entries ending on or after
    ``since`` (``entries`` when the caller has them already)."""
    record = WorkerRecord(entries=entries if entries is not None else await read_entries(owner, since))
    await _framework_links(owner, record)
    record.peers = {row["entry"]: row for row in await peer_discussions([owner])}
    explanations: dict[UUID, list[Explanation]] = defaultdict(list)
    for row in await GapExplanation.select().where(GapExplanation.owner == owner).order_by(GapExplanation.starts_on):
        explanations[row["registration"]].append(
            Explanation(row["id"], row["starts_on"], row["ends_on"], row["reason"])
        )
    record.explanations = dict(explanations)
    return record


async def load_entry_records(entries: dict[UUID, list[Entry]]) -> dict[UUID, WorkerRecord]:
    """Records of several workers made of the given entries only (a supervisor's team view
    counts only what each worker shared): those entries' links and peer discussions, and no
    gap explanations (they are not entries, so never shared). Three queries however many workers."""
    records = {owner: WorkerRecord(entries=owner_entries) for owner, owner_entries in entries.items()}
    if not records:
        return records
    links = await links_to_frameworks(list(records), list(built_in_frameworks()))
    peers = await peer_discussions(list(records))
    if not links and not peers:
        return records  # no entry → owner index to build: a tenth of a reminders batch's time (bench.reminders)
    by_entry = {entry.id: owner for owner, owner_entries in entries.items() for entry in owner_entries}
    grouped: dict[UUID, list[dict[str, Any]]] = defaultdict(list)
    for link in links:
        if link["entry"] in by_entry:
            grouped[by_entry[link["entry"]]].append(link)
    for owner, owner_links in grouped.items():
        _add_links(records[owner], owner_links)
    for row in peers:
        if row["entry"] in by_entry:
            records[by_entry[row["entry"]]].peers[row["entry"]] = row
    return records
