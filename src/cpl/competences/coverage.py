"""A worker's coverage of one framework: what their evidence shows, item by item.

Rules:
- Only the caller's own live entries count (never another worker's, never a deleted
  one), and only those whose learning happened within the period asked for.
- Per item: the entries linked to it, their minutes and the latest date.
- Through a crosswalk — ``exactMatchOf``, ``isRelatedTo`` or ``isPeerOf`` between two
  items, asserted by a framework's publisher or by cpl — the entries linked to the other
  item are reported for this one, marked as coming through the crosswalk, naming the
  other item and who asserted the correspondence.
- Rolled up: an item's totals count the distinct entries for it and everything under
  it, directly or through the crosswalk; an entry met twice under one heading counts once.
- Uncovered: the items with nothing rolled up.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from operator import itemgetter
from typing import Any
from uuid import UUID

from cpl.competences import repository
from cpl.competences.queries import framework_out, get_framework, item_out
from cpl.competences.schemas import (
    CoverageOut,
    CoverageTotals,
    CrosswalkCoverage,
    EntryRef,
    ItemBrief,
    ItemCoverage,
    ItemOut,
    Totals,
)
from cpl.kernel.periods import check_range

_EARLIEST, _LATEST = date(1, 1, 1), date(9999, 12, 31)
_LINK_FIELDS = itemgetter("item", "note", "entry_id", "title", "occurred_on", "duration_minutes")


class _Ledger:
    """The entries met in one report, numbered, so that sets and sums run over small ints."""

    def __init__(self) -> None:
        self.number: dict[str, int] = {}
        self.minutes: list[int] = []
        self.dates: list[date] = []

    def by_item(self, rows: list[dict[str, Any]]) -> tuple[dict[str, list[EntryRef]], dict[str, list[int]]]:
        """Linked entries by item (in the rows' order), and their numbers."""
        refs: dict[str, list[EntryRef]] = defaultdict(list)
        numbers: dict[str, list[int]] = defaultdict(list)
        known = self.number
        for item, note, entry, title, occurred_on, minutes in map(_LINK_FIELDS, rows):
            number = known.get(entry)
            if number is None:
                number = known[entry] = len(self.minutes)
                self.minutes.append(minutes)
                self.dates.append(occurred_on)
            refs[item].append(EntryRef(entry, title, occurred_on, minutes, note))
            numbers[item].append(number)
        return refs, numbers

    def totals(self, numbers: set[int] | tuple) -> Totals:
        if not numbers:
            return _NOTHING
        return Totals(
            entries=len(numbers),
            minutes=sum(map(self.minutes.__getitem__, numbers)),
            latest_on=max(map(self.dates.__getitem__, numbers)),
        )


_NOTHING = Totals(entries=0, minutes=0, latest_on=None)


async def _items_out(item_ids: list[str]) -> dict[str, ItemOut]:
    return {str(row["id"]): item_out(row) for row in await repository.item_out_rows(item_ids)}


def _through_crosswalk(
    pairs: list[dict[str, Any]], refs: dict[str, list[EntryRef]], numbers: dict[str, list[int]], partner_items
) -> tuple[dict[str, list[CrosswalkCoverage]], dict[str, list[int]]]:
    """For each item of the framework, the evidence for its crosswalk partners (and its numbers)."""
    through: dict[str, list[CrosswalkCoverage]] = defaultdict(list)
    through_numbers: dict[str, list[int]] = defaultdict(list)
    seen = set()
    for pair in pairs:
        key = (pair["item"], pair["partner"], pair["association_type"], pair["asserted_by"])
        if pair["partner"] not in refs or pair["partner"] == pair["item"] or key in seen:
            continue
        seen.add(key)
        through[pair["item"]].append(
            CrosswalkCoverage(
                pair["association_type"], pair["asserted_by"], partner_items[pair["partner"]], refs[pair["partner"]]
            )
        )
        through_numbers[pair["item"]] += numbers[pair["partner"]]
    return through, through_numbers


def _rolled_up(items: list[dict[str, Any]], *numbers_by_item: dict[str, list[int]]) -> dict[str, set[int]]:
    """Distinct entry numbers under each item with any (itself, its descendants, its crosswalk
    partners): each item's own numbers are added to it and to every ancestor."""
    parent_of = {item["id"]: item["parent"] for item in items}
    under: dict[str, set[int]] = defaultdict(set)
    for numbers in numbers_by_item:
        for item_id, own in numbers.items():
            node = item_id
            while node is not None:
                under[node].update(own)
                node = parent_of.get(node)
    return under


async def coverage(
    owner: UUID, framework_id: UUID, occurred_from: date | None, occurred_to: date | None
) -> CoverageOut:
    """The owner's coverage of one framework edition within the period."""
    check_range(occurred_from, occurred_to)
    framework = await get_framework(framework_id)
    items = await repository.framework_item_rows(framework_id)
    pairs = await repository.crosswalk_pairs(framework_id)
    partners = sorted({pair["partner"] for pair in pairs})
    partner_set = set(partners)
    occurred = (occurred_from or _EARLIEST, occurred_to or _LATEST)
    rows = await repository.linked_rows(owner, occurred, framework_id, partners)
    ledger = _Ledger()
    own_items = {item["id"] for item in items}
    direct, direct_numbers = ledger.by_item([row for row in rows if row["item"] in own_items])
    refs, numbers = ledger.by_item([row for row in rows if row["item"] in partner_set])
    partner_items = await _items_out([partner for partner in partners if partner in refs])
    through, through_numbers = _through_crosswalk(pairs, refs, numbers, partner_items)
    under = _rolled_up(items, direct_numbers, through_numbers)
    report = [_item_coverage(item, direct, through, ledger.totals(under.get(item["id"], ()))) for item in items]
    everything = ledger.totals(set(range(len(ledger.minutes))))
    return CoverageOut(
        framework=framework_out(framework),
        starts_on=occurred_from,
        ends_on=occurred_to,
        totals=CoverageTotals(
            everything.entries, everything.minutes, everything.latest_on, len(items), sum(r.covered for r in report)
        ),
        items=report,
        uncovered=[ItemBrief(r.id, r.code, r.title, r.statement) for r in report if not r.covered],
    )


def _item_coverage(item: dict[str, Any], direct, through, rolled_up: Totals) -> ItemCoverage:
    own = direct.get(item["id"], [])
    return ItemCoverage(
        id=item["id"],
        code=item["code"],
        title=item["title"],
        statement=item["statement"],
        parent_id=item["parent"],
        depth=item["depth"],
        entries=own,
        minutes=sum(ref.duration_minutes for ref in own),
        latest_on=max((ref.occurred_on for ref in own), default=None),
        via_crosswalk=through.get(item["id"], []),
        rolled_up=rolled_up,
        covered=rolled_up.entries > 0,
    )
