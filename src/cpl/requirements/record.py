"""A worker's record as the rules read it: live entries, their framework links, peer
discussions and gap explanations, read in a handful of queries per request.

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
import json
import operator
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple
from uuid import UUID

from cpl.competences.builtin import framework_identifier
from cpl.evidence.tables import EvidenceEntry
from cpl.requirements.library import framework_codes, item_titles
from cpl.requirements.tables import GapExplanation, PeerDiscussion

#: Ids and dates are read as text and parsed here: the same SQL on both databases, and
#: several times faster on SQLite than its per-value type converters.
_COLUMNS = (
    "SELECT CAST(id AS TEXT) AS id, kind, title, CAST(occurred_on AS TEXT) AS occurred_on, "
    "CAST(COALESCE(ended_on, occurred_on) AS TEXT) AS ends_on, duration_minutes, "
    "CAST(participatory AS INTEGER) AS participatory, activity_type, CAST(reflection AS TEXT) AS reflection"
)
_ENTRIES = (
    f"{_COLUMNS} FROM evidence_entry "
    "WHERE owner = {} AND deleted_at IS NULL AND COALESCE(ended_on, occurred_on) >= {}"
)
#: Entries written or deleted after a change number (the sync feed's order).
_CHANGED = f"{_COLUMNS}, CASE WHEN deleted_at IS NULL THEN 0 ELSE 1 END AS deleted FROM evidence_entry " + (
    "WHERE owner = {} AND change_seq > {}"
)
#: The owner's links to items of the built-in frameworks (any edition), by item code.
_LINKS = (
    "SELECT CAST(l.entry AS TEXT) AS entry, f.identifier, i.code FROM competence_link l "
    "JOIN competence_item i ON i.id = l.item JOIN competence_framework f ON f.id = i.framework "
    "WHERE l.owner = {} AND f.identifier IN "
)
_PEERS = (
    "SELECT CAST(entry AS TEXT) AS entry, name, pin, email, address, role, learning, updated_at "
    "FROM peer_discussion WHERE owner = {}"
)
#: How an entry's untouched reflection is stored; anything else is parsed to see.
_UNWRITTEN = json.dumps({"what_happened": "", "what_i_learned": "", "how_it_changes_practice": ""})


class Entry(NamedTuple):
    #: The entry's id (a UUID, as text).
    id: str
    kind: str
    title: str
    occurred_on: date
    #: The day the entry ended: ``ended_on``, or ``occurred_on`` when it has none.
    ends_on: date
    minutes: int
    participatory: bool
    activity_type: str
    #: The worker wrote some part of the entry's structured reflection.
    reflected: bool


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
        by_kind: dict[str | None, list[Entry]] = {None: self.entries}
        for entry in self.entries:
            by_kind.setdefault(entry.kind, []).append(entry)
        #: Kind (None: every kind) → its entries, and their end dates, in order.
        self._by_kind = {kind: (entries, [entry.ends_on for entry in entries]) for kind, entries in by_kind.items()}

    def _kind_between(self, kind: str | None, first: date, last: date) -> list[Entry]:
        entries, ends = self._by_kind.get(kind, ([], []))
        return entries[bisect.bisect_left(ends, first) : bisect.bisect_right(ends, last)]

    def ended_between(self, first: date, last: date, kinds: list[str] | None) -> list[Entry]:
        """Entries of these kinds (any kind: None) that ended from ``first`` to ``last``, in
        the order of their end dates."""
        if kinds is None or len(kinds) == 1:
            return self._kind_between(kinds[0] if kinds else None, first, last)
        return sorted((entry for kind in kinds for entry in self._kind_between(kind, first, last)), key=_ENDS_ON)


_ENDS_ON = operator.attrgetter("ends_on")


def _reflected(text: str) -> bool:
    if text == _UNWRITTEN:
        return False
    reflection = json.loads(text)
    return isinstance(reflection, dict) and any(isinstance(part, str) and part.strip() for part in reflection.values())


def _entry(row: dict[str, Any]) -> Entry:
    return Entry(
        row["id"],
        row["kind"],
        row["title"],
        date.fromisoformat(row["occurred_on"]),
        date.fromisoformat(row["ends_on"]),
        row["duration_minutes"],
        bool(row["participatory"]),
        row["activity_type"],
        _reflected(row["reflection"]),
    )


@functools.cache
def built_in_frameworks() -> dict[str, str]:
    """CASE identifier → key of every built-in framework (links to others are not read)."""
    return {framework_identifier(key): key for key in sorted(framework_codes())}


async def _framework_links(owner: UUID, record: WorkerRecord) -> None:
    """Each live entry's links, with every item above the linked one (the shipped tree)."""
    frameworks = built_in_frameworks()
    placeholders = ", ".join("{}" for _ in frameworks)
    _add_links(record, await EvidenceEntry.raw(_LINKS + f"({placeholders})", owner, *frameworks))


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
    return EvidenceEntry._meta.db.transaction()


async def read_entries(owner: UUID, since: date) -> list[Entry]:
    """The owner's live entries ending on or after ``since``, in order of their end dates."""
    rows = await EvidenceEntry.raw(_ENTRIES, owner, since)
    return sorted((_entry(row) for row in rows), key=lambda entry: entry.ends_on)


async def read_changes(owner: UUID, after_seq: int) -> tuple[set[str], list[Entry]]:
    """The ids of the owner's entries changed after ``after_seq`` (deleted ones included),
    and those of them still live."""
    rows = await EvidenceEntry.raw(_CHANGED, owner, after_seq)
    return {row["id"] for row in rows}, [_entry(row) for row in rows if not row["deleted"]]


async def load_record(owner: UUID, since: date = date.min, entries: list[Entry] | None = None) -> WorkerRecord:
    """Everything of the owner's that any rule may count, of entries ending on or after
    ``since`` (``entries`` when the caller has them already)."""
    record = WorkerRecord(entries=entries if entries is not None else await read_entries(owner, since))
    await _framework_links(owner, record)
    record.peers = {row["entry"]: row for row in await PeerDiscussion.raw(_PEERS, owner)}
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
    frameworks = built_in_frameworks()
    owners = ", ".join("{}" for _ in records)
    in_frameworks = ", ".join("{}" for _ in frameworks)
    links = await EvidenceEntry.raw(
        _LINKS.replace("l.owner = {}", f"l.owner IN ({owners})") + f"({in_frameworks})", *records, *frameworks
    )
    by_entry = {entry.id: owner for owner, owner_entries in entries.items() for entry in owner_entries}
    grouped: dict[UUID, list[dict[str, Any]]] = defaultdict(list)
    for link in links:
        if link["entry"] in by_entry:
            grouped[by_entry[link["entry"]]].append(link)
    for owner, owner_links in grouped.items():
        _add_links(records[owner], owner_links)
    peers = await PeerDiscussion.raw(_PEERS.replace("owner = {}", f"owner IN ({owners})"), *records)
    for row in peers:
        if row["entry"] in by_entry:
            records[by_entry[row["entry"]]].peers[row["entry"]] = row
    return records
