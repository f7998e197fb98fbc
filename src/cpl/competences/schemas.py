"""Competence bodies: framework metadata, trees, search hits, an entry's links, coverage."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from msgspec import Struct, field
from pydantic import Field

from cpl.kernel.fields import Line, Paragraphs
from cpl.kernel.schemas import RequestModel

Identifier = Line(255, min_length=1)
Code = Line(255, min_length=1)
Title = Line(500, min_length=1)
Statement = Paragraphs(20_000)
#: Most links one entry may have (one entry rarely shows more than a handful of competences).
MAX_LINKS_PER_ENTRY = 200


class CsvFrameworkIn(RequestModel):
    """What a CSV file cannot say about itself, sent as query parameters with it."""

    title: Title
    edition: Line(100, min_length=1) = "1"
    publisher: Line(255) = ""
    language: Line(35) = ""
    source_uri: Line(2000) = ""
    licence: Line(2000) = ""
    #: Defaults to one derived from the title, so a re-import finds the same framework.
    identifier: Identifier | None = None


# Responses are msgspec structs: a coverage report or a framework tree can hold tens of
# thousands of rows, and structs are built and encoded many times faster than models.
# ``gc=False``: they never form reference cycles, so the garbage collector need not scan
# the thousands of them a report holds.


class FrameworkRef(Struct, gc=False):
    id: UUID
    title: str
    edition: str


class FrameworkOut(Struct):
    id: UUID
    identifier: str
    uri: str
    title: str
    publisher: str
    edition: str
    language: str
    source_uri: str
    licence: str
    description: str
    built_in: bool
    item_count: int
    imported_at: datetime


class ImportOut(Struct):
    outcome: Literal["created", "unchanged"]
    framework: FrameworkOut
    items: int
    associations: int
    #: Associations kept whose destination is a node cpl does not hold (yet).
    unresolved_associations: int


class OtherNode(Struct, gc=False):
    """The far end of an association: an item cpl holds, or a node known only by URI."""

    item_id: UUID | None
    identifier: str
    uri: str
    code: str
    title: str
    framework_id: UUID | None


class AssociationOut(Struct, gc=False):
    association_type: str
    #: ``outgoing``: this item is the origin; ``incoming``: it is the destination.
    direction: Literal["outgoing", "incoming"]
    asserted_by: str
    note: str
    other: OtherNode


class ItemNode(Struct, gc=False):
    id: UUID
    identifier: str
    code: str
    title: str
    statement: str
    item_type: str
    associations: list[AssociationOut]
    children: list[ItemNode]


class FrameworkTree(FrameworkOut):
    items: list[ItemNode]


class ItemOut(Struct, gc=False):
    id: UUID
    code: str
    title: str
    statement: str
    item_type: str
    framework: FrameworkRef


class SearchPage(Struct):
    items: list[ItemOut]


class CompetenceLinkIn(RequestModel):
    item_id: UUID
    #: How the entry shows the competence.
    note: Line(500) = ""


class CompetenceLinksIn(RequestModel):
    links: Annotated[list[CompetenceLinkIn], Field(max_length=MAX_LINKS_PER_ENTRY)]


class CompetenceLinkOut(Struct):
    item: ItemOut
    note: str


class CompetenceLinksOut(Struct):
    entry_id: UUID
    links: list[CompetenceLinkOut]


# Coverage reports carry ids as the text of the UUIDs: read that way, SQLite's type converters
# are skipped (~3 µs a value on tens of thousands of values); the JSON is the same.


class EntryRef(Struct, gc=False):
    #: The entry's id (a UUID).
    id: str
    title: str
    occurred_on: date
    duration_minutes: int
    #: The worker's note on how this entry shows the item.
    note: str


class Totals(Struct, gc=False):
    entries: int
    minutes: int
    latest_on: date | None


class ItemBrief(Struct, gc=False):
    id: str
    code: str
    title: str
    statement: str


class CrosswalkCoverage(Struct, gc=False):
    """Evidence for another framework's item that a crosswalk says corresponds to this one."""

    association_type: str
    asserted_by: str
    item: ItemOut
    entries: list[EntryRef]
    through: Literal["crosswalk"] = "crosswalk"


class ItemCoverage(Struct, gc=False):
    id: str
    code: str
    title: str
    statement: str
    parent_id: str | None
    depth: int
    #: Entries linked to this item itself, with their minutes and latest date.
    entries: list[EntryRef]
    minutes: int
    latest_on: date | None
    via_crosswalk: list[CrosswalkCoverage]
    #: Distinct entries for this item and everything under it, directly or through a crosswalk.
    rolled_up: Totals
    covered: bool


class CoverageTotals(Struct, gc=False):
    entries: int
    minutes: int
    latest_on: date | None
    items: int
    items_covered: int


class CoverageOut(Struct, gc=False):
    framework: FrameworkOut
    #: The period asked for (``from``/``to``); entries outside it are not counted.
    starts_on: date | None = field(name="from")
    ends_on: date | None = field(name="to")
    totals: CoverageTotals
    items: list[ItemCoverage]
    #: Items with no evidence for them or anything under them.
    uncovered: list[ItemBrief]
