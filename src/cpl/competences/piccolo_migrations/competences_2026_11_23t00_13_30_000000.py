"""Indexes Piccolo's column options can't express (see :mod:`cpl.index_migration`)."""

from cpl.index_migration import index_migration

ID = "2026-11-23T00:13:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "Competence indexes: editions, tree order, search joins, crosswalks, links"

COMPOSITE_INDEXES = [
    #: One row per edition of a framework.
    "CREATE UNIQUE INDEX competence_framework_identifier_edition ON competence_framework (identifier, edition)",
    #: An item identifier appears once per edition; the tree is read in order.
    "CREATE UNIQUE INDEX competence_item_framework_identifier ON competence_item (framework, identifier)",
    "CREATE INDEX competence_item_framework_position ON competence_item (framework, position)",
    #: Associations into a framework another package (or cpl) points at.
    "CREATE INDEX competence_item_identifier ON competence_item (identifier)",
    #: Everything associated with one framework's items, from either end (crosswalks, the tree view).
    "CREATE INDEX competence_association_origin_framework ON competence_association "
    "(origin_framework, association_type)",
    "CREATE INDEX competence_association_destination_framework ON competence_association "
    "(destination_framework, association_type)",
    "CREATE INDEX competence_association_framework ON competence_association (framework)",
    "CREATE INDEX competence_association_unresolved ON competence_association (destination_identifier) "
    "WHERE destination IS NULL",
    #: An entry links to an item once; a worker's links are read by framework or by item.
    "CREATE UNIQUE INDEX competence_link_entry_item ON competence_link (entry, item)",
    "CREATE INDEX competence_link_owner_framework ON competence_link (owner, framework)",
    "CREATE INDEX competence_link_owner_item ON competence_link (owner, item)",
]


async def forwards():
    return index_migration(ID, "competences", DESCRIPTION, COMPOSITE_INDEXES)
