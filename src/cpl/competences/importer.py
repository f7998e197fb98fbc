"""Writing a checked package: one edition of a framework, in one transaction.

- The same package again (same identifier, edition and content) changes nothing.
- A new edition (another ``version``) is written beside the old one; links made against
  the old edition's items keep pointing at them.
- The same edition with different content is refused: an edition, once imported, is
  what evidence was linked against, so it is never rewritten underneath those links.
- Associations to nodes in frameworks cpl already holds are resolved to those items
  (the most recently imported edition holding that identifier); the others are kept,
  and resolved when a later import brings the node.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any, Literal
from uuid import UUID, uuid4

from asyncpg.exceptions import UniqueViolationError
from piccolo.engine.postgres import PostgresEngine
from piccolo.table import Table

from cpl.competences.packages import AssociationSpec, CheckedPackage
from cpl.competences.repository import association_counts, held_item_rows, resolve_earlier
from cpl.competences.tables import CompetenceAssociation, CompetenceFramework, CompetenceItem
from cpl.db import write_transaction
from cpl.errors import Conflict
from cpl.kernel import clock

#: Identifiers per ``IN (…)`` list: well under SQLite's and PostgreSQL's limits on parameters.
INSERT_CHUNK = 500


@dataclass(frozen=True)
class ImportResult:
    outcome: Literal["created", "unchanged"]
    framework: dict[str, Any]
    items: int
    associations: int
    unresolved_associations: int


def search_text(code: str, title: str, statement: str) -> str:
    """What search matches against: lower-cased code, title and statement, one per line."""
    return f"{code}\n{title}\n{statement}".lower()


async def _insert_framework(checked: CheckedPackage, built_in: bool) -> dict[str, Any]:
    spec = checked.package.framework
    row = {
        "id": uuid4(),
        "identifier": spec.identifier,
        "uri": spec.uri,
        "title": spec.title,
        "publisher": spec.publisher,
        "edition": spec.edition,
        "language": spec.language,
        "source_uri": spec.source_uri,
        "licence": spec.licence,
        "description": spec.description,
        "last_change": spec.last_change,
        "details": spec.details,
        "content_hash": checked.content_hash,
        "built_in": built_in,
        "item_count": len(checked.items),
        "imported_at": clock.now(),
    }
    await CompetenceFramework.insert(CompetenceFramework(**row))
    return row


async def bulk_insert(table: type[Table], rows: list[dict[str, Any]]) -> None:
    """INSERT rows with the driver's ``executemany`` on the open write transaction.

    Piccolo's own inserts build every row's SQL in Python (~0.3 ms a row), too slow for a
    15,000-item framework. JSON values must already be serialised.
    """
    if not rows:
        return
    engine = table._meta.db
    transaction = engine.current_transaction.get()
    if transaction is None:
        raise RuntimeError("bulk_insert runs inside a write transaction")
    columns = list(rows[0])
    if isinstance(engine, PostgresEngine):
        placeholders = ", ".join(f"${number}" for number in range(1, len(columns) + 1))
    else:
        placeholders = ", ".join("?" for _ in columns)
    names = ", ".join(f'"{column}"' for column in columns)
    statement = f"INSERT INTO {table._meta.tablename} ({names}) VALUES ({placeholders})"
    await transaction.connection.executemany(statement, [tuple(row[c] for c in columns) for row in rows])


async def _insert_items(framework_id: UUID, checked: CheckedPackage, item_ids: dict[str, UUID]) -> None:
    rows = [
        {
            "id": item_ids[placed.spec.identifier],
            "framework": framework_id,
            "identifier": placed.spec.identifier,
            "uri": placed.spec.uri,
            "code": placed.spec.code,
            "title": placed.spec.title,
            "statement": placed.spec.statement,
            "item_type": placed.spec.item_type,
            "parent": item_ids[placed.parent] if placed.parent else None,
            "position": placed.position,
            "depth": placed.depth,
            "last_change": placed.spec.last_change,
            "details": json.dumps(placed.spec.details),
            "search_text": search_text(placed.spec.code, placed.spec.title, placed.spec.statement),
        }
        for placed in checked.items
    ]
    await bulk_insert(CompetenceItem, rows)  # parents come first: the rows are in pre-order


async def held_items(identifiers: set[str]) -> dict[str, tuple[UUID, UUID]]:
    """Items cpl already holds with these identifiers, as ``(item, framework)``: the latest
    imported edition's, each."""
    found: dict[str, tuple[UUID, UUID]] = {}
    for row in await held_item_rows(sorted(identifiers)):
        found[row["identifier"]] = (row["id"], row["framework"])
    return found


def _association_row(
    framework_id: UUID, spec: AssociationSpec, origin: UUID, destination: tuple[UUID, UUID] | None
) -> dict:
    return {
        "id": uuid4(),
        "identifier": spec.identifier,
        "framework": framework_id,
        "association_type": spec.association_type,
        "origin": origin,
        "destination": destination[0] if destination else None,
        "origin_framework": framework_id,
        "destination_framework": destination[1] if destination else None,
        "destination_identifier": spec.destination,
        "destination_uri": spec.destination_uri,
        "destination_title": spec.destination_title,
        "sequence_number": spec.sequence_number,
        "asserted_by": "publisher",
        "note": "",
        "last_change": spec.last_change,
    }


async def _insert_associations(framework_id: UUID, checked: CheckedPackage, item_ids: dict[str, UUID]) -> int:
    """Insert the package's associations; return how many point at nodes cpl does not hold."""
    document = checked.package.framework.identifier
    associations = checked.package.associations
    outside = {a.destination for a in associations if a.destination not in item_ids and a.destination != document}
    held = await held_items(outside)
    known = {**held, **{identifier: (item, framework_id) for identifier, item in item_ids.items()}}
    rows = [
        _association_row(framework_id, spec, item_ids[spec.origin], known.get(spec.destination))
        for spec in associations
    ]
    await bulk_insert(CompetenceAssociation, rows)
    return sum(1 for spec in associations if spec.destination in outside and spec.destination not in held)


async def write_package(checked: CheckedPackage, *, built_in: bool = False) -> ImportResult:
    """Write one edition; the caller holds the write transaction."""
    spec = checked.package.framework
    existing = await (
        CompetenceFramework.select()
        .where((CompetenceFramework.identifier == spec.identifier) & (CompetenceFramework.edition == spec.edition))
        .output(load_json=True)
        .first()
    )
    if existing is not None:
        if existing["content_hash"] != checked.content_hash:
            raise Conflict(
                f"Edition {spec.edition!r} of {spec.title!r} is already imported with different content. "
                "Evidence may be linked to it, so it is not rewritten: import the change as a new edition."
            )
        total, unresolved = await association_counts(existing["id"])
        return ImportResult("unchanged", existing, existing["item_count"], total, unresolved)
    framework = await _insert_framework(checked, built_in)
    item_ids = {placed.spec.identifier: uuid4() for placed in checked.items}
    await _insert_items(framework["id"], checked, item_ids)
    unresolved = await _insert_associations(framework["id"], checked, item_ids)
    await resolve_earlier(framework["id"])
    return ImportResult("created", framework, len(checked.items), len(checked.package.associations), unresolved)


async def import_package(checked: CheckedPackage) -> ImportResult:
    """Import one edition, all or nothing."""
    try:
        async with write_transaction():
            return await write_package(checked)
    except (UniqueViolationError, sqlite3.IntegrityError) as error:
        raise Conflict(
            "This edition was being imported at the same moment; send it again to see the result."
        ) from error
