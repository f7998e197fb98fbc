"""Competence frameworks (aligned with 1EdTech CASE), their items and associations, and
the links a worker makes from an evidence entry to the items it shows.

A framework row is one *edition* of a CASE ``CFDocument``: a new edition is a new row
beside the old, so a link made against an item keeps pointing at that edition's item.
"""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    UUID,
    Boolean,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from cpl.accounts.tables import Account
from cpl.evidence.tables import EvidenceEntry


class CompetenceFramework(Table, tablename="competence_framework"):
    """One edition of a framework; ``(identifier, edition)`` is unique."""

    id = UUID(primary_key=True)
    #: The CASE ``CFDocument.identifier`` (editions of one framework may share it).
    identifier = Varchar(length=255)
    uri = Text(default="")
    title = Varchar(length=500)
    publisher = Varchar(length=255, default="")
    #: CASE ``version``; when a package has none, its ``lastChangeDateTime``.
    edition = Varchar(length=100)
    language = Varchar(length=35, default="")
    #: Where the framework is published (CASE ``officialSourceURL``).
    source_uri = Text(default="")
    #: Licence or terms of use, as the publisher states them.
    licence = Text(default="")
    description = Text(default="")
    #: CASE ``lastChangeDateTime`` of the document, as given.
    last_change = Varchar(length=40, default="")
    #: Other CASE ``CFDocument`` fields, kept so the package can be served back.
    details = JSON(default={})
    #: SHA-256 of the normalised package: how a re-import of the same package is recognised.
    content_hash = Varchar(length=64)
    #: Shipped with cpl (loaded at first start) rather than imported by an operator.
    built_in = Boolean(default=False)
    item_count = Integer(default=0)
    imported_at = Timestamptz(default=TimestamptzNow())


class CompetenceItem(Table, tablename="competence_item"):
    """One competence, standard or heading (a CASE ``CFItem``) in one edition."""

    id = UUID(primary_key=True)
    framework = ForeignKey(references=CompetenceFramework, on_delete=OnDelete.cascade, null=False)
    #: The CASE ``CFItem.identifier``; unique within an edition.
    identifier = Varchar(length=255)
    uri = Text(default="")
    #: CASE ``humanCodingScheme``, e.g. ``NMC.17`` (may be empty).
    code = Varchar(length=255, default="")
    #: Short title (CASE ``abbreviatedStatement``); may be empty.
    title = Varchar(length=500, default="")
    #: CASE ``fullStatement``.
    statement = Text(default="")
    item_type = Varchar(length=255, default="")
    #: The item's place in the tree (its first ``isChildOf``); null at the top level.
    parent = ForeignKey(references="self", on_delete=OnDelete.cascade, null=True, default=None)
    #: Pre-order position in the framework's tree: ``ORDER BY position`` lists the tree.
    position = Integer(default=0)
    depth = Integer(default=0)
    last_change = Varchar(length=40, default="")
    #: Other CASE ``CFItem`` fields, kept so the package can be served back.
    details = JSON(default={})
    #: Lower-cased code, title and statement (one per line) for search on any database.
    search_text = Text(default="")


class CompetenceAssociation(Table, tablename="competence_association"):
    """A CASE ``CFAssociation`` from one item to another item, document or outside node.

    ``destination`` is null when the destination is the framework's document (a top-level
    ``isChildOf``) or a node cpl does not hold; ``destination_identifier`` and
    ``destination_uri`` always say what it was, and a later import that brings that node
    resolves it.
    """

    id = UUID(primary_key=True)
    identifier = Varchar(length=255)
    #: The edition whose package asserted it; null for cpl's own crosswalk.
    framework = ForeignKey(references=CompetenceFramework, on_delete=OnDelete.cascade, null=True, default=None)
    association_type = Varchar(length=32)
    origin = ForeignKey(references=CompetenceItem, on_delete=OnDelete.cascade, null=False)
    destination = ForeignKey(references=CompetenceItem, on_delete=OnDelete.cascade, null=True, default=None)
    #: The frameworks of the two ends (an item never changes framework), so everything
    #: touching one framework is found by index however large the framework is.
    origin_framework = UUID()
    destination_framework = UUID(null=True, default=None)
    destination_identifier = Varchar(length=255, default="")
    destination_uri = Text(default="")
    destination_title = Text(default="")
    sequence_number = Integer(null=True, default=None)
    #: ``publisher`` (came in the framework's package) or ``cpl`` (cpl's own crosswalk).
    asserted_by = Varchar(length=16, default="publisher")
    #: Why cpl asserts a crosswalk association.
    note = Text(default="")
    last_change = Varchar(length=40, default="")


class CompetenceLink(Table, tablename="competence_link"):
    """A worker's claim that an evidence entry shows a competence item, with a short note."""

    id = UUID(primary_key=True)
    #: The entry's owner, kept here so a worker's links are read by index, not via every entry.
    owner = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False)
    entry = ForeignKey(references=EvidenceEntry, on_delete=OnDelete.cascade, null=False)
    item = ForeignKey(references=CompetenceItem, on_delete=OnDelete.cascade, null=False)
    #: The item's framework edition, kept here so coverage reads a worker's links for one
    #: framework by index, however large the framework.
    framework = ForeignKey(references=CompetenceFramework, on_delete=OnDelete.cascade, null=False)
    note = Varchar(length=500, default="")
    created_at = Timestamptz(default=TimestamptzNow())
