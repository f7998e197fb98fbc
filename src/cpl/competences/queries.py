"""Reading frameworks: the list, one framework as a tree, and search over every item.

Frameworks are reference data: any signed-in person may read every one of them.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from cpl.competences import repository
from cpl.competences.schemas import (
    AssociationOut,
    FrameworkOut,
    FrameworkRef,
    FrameworkTree,
    ItemNode,
    ItemOut,
    OtherNode,
)
from cpl.competences.tables import CompetenceFramework, CompetenceItem
from cpl.errors import NotFound

#: Words of a search query that each must match; more are ignored.
MAX_SEARCH_TERMS = 8


def framework_out(row: dict[str, Any]) -> FrameworkOut:
    return FrameworkOut(**{name: row[name] for name in FrameworkOut.__struct_fields__})


def item_out(row: dict[str, Any]) -> ItemOut:
    """A row selected with :data:`.repository.ITEM_OUT_COLUMNS` as the API shows an item."""
    framework = FrameworkRef(id=row["framework_id"], title=row["framework_title"], edition=row["framework_edition"])
    return ItemOut(
        id=row["id"],
        code=row["code"],
        title=row["title"],
        statement=row["statement"],
        item_type=row["item_type"],
        framework=framework,
    )


async def list_frameworks() -> list[FrameworkOut]:
    rows = (
        await CompetenceFramework.select()
        .order_by(CompetenceFramework.title)
        .order_by(CompetenceFramework.imported_at, ascending=False)
    )
    return [framework_out(row) for row in rows]


async def get_framework(framework_id: UUID) -> dict[str, Any]:
    row = (
        await CompetenceFramework.select().where(CompetenceFramework.id == framework_id).output(load_json=True).first()
    )
    if row is None:
        raise NotFound("No competence framework with this id.")
    return row


async def _associations_by_item(framework_id: UUID) -> dict[UUID, list[AssociationOut]]:
    """Every association other than the tree's own, from both ends, keyed by this framework's item."""
    found: dict[UUID, list[AssociationOut]] = {}
    for direction, rows in await repository.other_ends(framework_id):
        for row in rows:
            other = OtherNode(
                item_id=row["other_id"],
                identifier=row["other_identifier"] or "",
                uri=row["other_uri"] or "",
                code=row["other_code"],
                title=row["other_title"] or "",
                framework_id=row["other_framework"],
            )
            found.setdefault(row["item"], []).append(
                AssociationOut(
                    association_type=row["association_type"],
                    direction=direction,
                    asserted_by=row["asserted_by"],
                    note=row["note"],
                    other=other,
                )
            )
    return found


async def framework_tree(framework_id: UUID) -> FrameworkTree:
    """The framework with its items nested under their parents, in order."""
    framework = await get_framework(framework_id)
    rows = await (
        CompetenceItem.select(
            CompetenceItem.id,
            CompetenceItem.identifier,
            CompetenceItem.code,
            CompetenceItem.title,
            CompetenceItem.statement,
            CompetenceItem.item_type,
            CompetenceItem.parent,
        )
        .where(CompetenceItem.framework == framework_id)
        .order_by(CompetenceItem.position)
    )
    associations = await _associations_by_item(framework_id)
    nodes: dict[UUID, ItemNode] = {}
    roots: list[ItemNode] = []
    for row in rows:
        parent = row.pop("parent")
        node = ItemNode(**row, associations=associations.get(row["id"], []), children=[])
        nodes[row["id"]] = node
        (nodes[parent].children if parent else roots).append(node)
    fields = {name: framework[name] for name in FrameworkOut.__struct_fields__}
    return FrameworkTree(**fields, items=roots)


async def search_items(text: str, framework_id: UUID | None, limit: int) -> list[ItemOut]:
    """Items whose code, title or statement contain every word of ``text``, case-insensitively.

    An exact code comes first, then codes starting with the text, then the rest; within
    each, items higher in their tree first. Ranked and cut in the items table alone, so
    a word found in every item costs a scan and a sort of integers, not a join.
    """
    terms = text.split()[:MAX_SEARCH_TERMS]
    if not terms:
        return []
    rows = await repository.search_item_rows(text, terms, framework_id, limit)
    return [item_out(row) for row in rows]
