"""Statements on the competence tables that the query builder cannot express or serve fast enough.

Raw SQL lives only here in this domain (``src/cpl/README.md``), through :class:`cpl.db.Sql`,
each statement with its reason. Everything else in the domain uses the builder.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from cpl.competences.packages import ASSOCIATION_TYPES
from cpl.db import Sql, like_literal

#: An item as the API shows it (``queries.item_out``), from ``competence_item i`` joined to its
#: ``competence_framework f``.
ITEM_OUT_COLUMNS = (
    "i.id, i.code, i.title, i.statement, i.item_type, "
    "f.id AS framework_id, f.title AS framework_title, f.edition AS framework_edition"
)
_CHUNK = 500


def _in_list(values: list[Any]) -> str:
    return f"({', '.join('{}' for _ in values)})"


# --- A framework's tree and search (bench.competences) ---------------------------------------

#: Association types other than the tree's own, as an SQL list (index seeks, not a scan).
_NOT_TREE = ", ".join(f"'{kind}'" for kind in sorted(ASSOCIATION_TYPES - {"isChildOf"}))
# Raw SQL: a LEFT JOIN with COALESCE/NULLIF over both ends of an association, which the builder
# cannot spell.
_OTHER_END = (
    "SELECT a.{near} AS item, a.association_type, a.asserted_by, a.note, a.{far} AS other_id, "
    "{far_identifier} AS other_identifier, {far_uri} AS other_uri, COALESCE(o.code, '') AS other_code, "
    "COALESCE(NULLIF(o.title, ''), o.statement, {far_title}) AS other_title, o.framework AS other_framework "
    "FROM competence_association a LEFT JOIN competence_item o ON o.id = a.{far} "
    f"WHERE a.{{near}}_framework = {{{{}}}} AND a.association_type IN ({_NOT_TREE})"
)
_OUTGOING = Sql(
    _OTHER_END.format(
        near="origin",
        far="destination",
        far_identifier="a.destination_identifier",
        far_uri="a.destination_uri",
        far_title="a.destination_title",
    )
)
_INCOMING = Sql(
    _OTHER_END.format(near="destination", far="origin", far_identifier="o.identifier", far_uri="o.uri", far_title="''")
)


async def other_ends(framework_id: UUID) -> list[tuple[str, list[dict[str, Any]]]]:
    """The framework's associations other than the tree's own, from both ends:
    ``[("outgoing", rows), ("incoming", rows)]``, each row naming the item at the other end."""
    return [("outgoing", await _OUTGOING.rows(framework_id)), ("incoming", await _INCOMING.rows(framework_id))]


async def search_item_rows(text: str, terms: list[str], framework_id: UUID | None, limit: int) -> list[dict[str, Any]]:
    """Items containing every term, ranked: exact code, then code prefix, then the rest.

    Raw SQL: ranked (CASE over ``LIKE … ESCAPE``) and cut in the items table alone before the
    join, so a word found in every item costs a scan and a sort of integers, not a join.
    """
    whole = like_literal(text.strip())
    clauses = " AND ".join("search_text LIKE {} ESCAPE '\\'" for _ in terms)
    args: list[Any] = [f"{whole}\n%", f"{whole}%", *(f"%{like_literal(term)}%" for term in terms)]
    if framework_id is not None:
        clauses += " AND framework = {}"
        args.append(framework_id)
    statement = Sql(
        f"SELECT {ITEM_OUT_COLUMNS} FROM (SELECT id, code, title, statement, item_type, framework, position, "
        "CASE WHEN search_text LIKE {} ESCAPE '\\' THEN 0 "
        "WHEN search_text LIKE {} ESCAPE '\\' THEN 1 ELSE 2 END AS rank "
        f"FROM competence_item WHERE {clauses} ORDER BY rank, position, framework, id LIMIT {{}}) i "
        "JOIN competence_framework f ON f.id = i.framework ORDER BY i.rank, i.position, i.framework, i.id"
    )
    return await statement.rows(*args, limit)


# --- Importing packages -------------------------------------------------------------------------

# Raw SQL: one UNION of two tables' names, read at every start-up.
_BUILT_IN_STATE = Sql(
    "SELECT 'framework ' || identifier || ' ' || edition AS name FROM competence_framework WHERE built_in = {} "
    "UNION ALL SELECT 'crosswalk ' || identifier AS name FROM competence_association WHERE asserted_by = 'cpl'"
)
# Raw SQL: a conditional count over a join, one row.
_ASSOCIATION_COUNTS = Sql(
    "SELECT COUNT(*) AS total, SUM(CASE WHEN a.destination IS NULL AND a.destination_identifier <> f.identifier "
    "THEN 1 ELSE 0 END) AS unresolved FROM competence_association a "
    "JOIN competence_framework f ON f.id = a.framework WHERE a.framework = {}"
)
# Raw SQL: an UPDATE whose value is a correlated subquery, which the builder cannot express.
_RESOLVE_EARLIER = Sql(
    "UPDATE competence_association SET destination_framework = {}, destination = (SELECT i.id "
    "FROM competence_item i WHERE i.framework = {} AND i.identifier = competence_association.destination_identifier) "
    "WHERE destination IS NULL AND association_type <> 'isChildOf' AND destination_identifier IN "
    "(SELECT identifier FROM competence_item WHERE framework = {})"
)


async def built_in_state() -> set[str]:
    """``framework <identifier> <edition>`` of each built-in edition held, ``crosswalk <identifier>``
    of each association cpl asserted."""
    return {row["name"] for row in await _BUILT_IN_STATE.rows(True)}


async def association_counts(framework_id: UUID) -> tuple[int, int]:
    """An edition's associations, and how many of them point at nodes cpl does not hold."""
    rows = await _ASSOCIATION_COUNTS.rows(framework_id)
    return int(rows[0]["total"]), int(rows[0]["unresolved"] or 0)


async def held_item_rows(identifiers: list[str]) -> list[dict[str, Any]]:
    """``{identifier, id, framework}`` of the items with these identifiers, oldest import first
    (raw SQL: a join ordered by the framework's import, in one statement per chunk)."""
    rows: list[dict[str, Any]] = []
    for start in range(0, len(identifiers), _CHUNK):
        chunk = identifiers[start : start + _CHUNK]
        rows += await Sql(
            "SELECT i.identifier, i.id, i.framework FROM competence_item i "
            f"JOIN competence_framework f ON f.id = i.framework WHERE i.identifier IN {_in_list(chunk)} "
            "ORDER BY f.imported_at, f.id"
        ).rows(*chunk)
    return rows


async def resolve_earlier(framework_id: UUID) -> None:
    """Point earlier packages' associations at this edition's items where they named them."""
    await _RESOLVE_EARLIER.rows(framework_id, framework_id, framework_id)


# --- Links and coverage (bench.competences) ------------------------------------------------------

# Raw SQL: a three-table join, ordered across frameworks, for one entry's links.
_ENTRY_LINKS = Sql(
    f"SELECT l.note, {ITEM_OUT_COLUMNS} FROM competence_link l "
    "JOIN competence_item i ON i.id = l.item JOIN competence_framework f ON f.id = i.framework "
    "WHERE l.entry = {} ORDER BY f.title, f.imported_at DESC, i.position"
)


async def entry_link_rows(entry_id: UUID) -> list[dict[str, Any]]:
    """The entry's links with their items (:data:`ITEM_OUT_COLUMNS`) and notes, in reading order."""
    return await _ENTRY_LINKS.rows(entry_id)


# Raw SQL: the rules key everything by the text of the entry id; read as text, the same SQL on
# both databases and faster on SQLite than its per-value UUID converter.
_OWNERS_LINKS = (
    "SELECT CAST(l.entry AS TEXT) AS entry, f.identifier, i.code FROM competence_link l "
    "JOIN competence_item i ON i.id = l.item JOIN competence_framework f ON f.id = i.framework "
    "WHERE l.owner IN {} AND f.identifier IN {}"
)


async def links_to_frameworks(owners: list[UUID], identifiers: list[str]) -> list[dict[str, Any]]:
    """The owners' links to items of the frameworks with these CASE identifiers (any edition):
    ``{entry (id as text), identifier, code}`` each."""
    return await Sql(_OWNERS_LINKS.format(_in_list(owners), _in_list(identifiers))).rows(*owners, *identifiers)


# Raw SQL (bench.competences, bench/RESULTS.md): coverage reads thousands of links. Ids are read as
# text and minutes through CAST, which skips SQLite's per-value type converters (they cost more
# than the query itself); each part is read by its own index. This read-only statement joins
# evidence_entry (the link's entry: live, in the period) — one statement instead of reading every
# live entry of the owner's through cpl.evidence.repository; evidence_entry is written only there.
_LINKED = (
    "SELECT CAST(l.item AS TEXT) AS item, l.note, CAST(e.id AS TEXT) AS entry_id, e.title, e.occurred_on, "
    "CAST(e.duration_minutes AS INTEGER) AS duration_minutes "
    "FROM competence_link l JOIN evidence_entry e ON e.id = l.entry "
    "WHERE l.owner = {} AND e.deleted_at IS NULL AND e.occurred_on >= {} AND e.occurred_on <= {} AND "
)
#: Association types that say two items cover the same ground.
CROSSWALK_TYPES = ("exactMatchOf", "isRelatedTo", "isPeerOf")
_TYPES = ", ".join(f"'{kind}'" for kind in CROSSWALK_TYPES)
_CROSSWALK = Sql(
    "SELECT CAST(origin AS TEXT) AS item, CAST(destination AS TEXT) AS partner, association_type, asserted_by "
    f"FROM competence_association WHERE origin_framework = {{}} AND association_type IN ({_TYPES}) "
    "AND destination IS NOT NULL UNION ALL "
    "SELECT CAST(destination AS TEXT) AS item, CAST(origin AS TEXT) AS partner, association_type, asserted_by "
    f"FROM competence_association WHERE destination_framework = {{}} AND association_type IN ({_TYPES})"
)
_FRAMEWORK_ITEMS = Sql(
    "SELECT CAST(id AS TEXT) AS id, code, title, statement, CAST(parent AS TEXT) AS parent, depth "
    "FROM competence_item WHERE framework = {} ORDER BY position"
)


async def linked_rows(
    owner: UUID, occurred: tuple[date, date], framework_id: UUID, partners: list[str]
) -> list[dict[str, Any]]:
    """The owner's links, to live entries whose learning happened in the period, to the framework's
    items or to their crosswalk ``partners`` in other frameworks, newest entry first."""
    bounds = (owner, *occurred)
    chunks = [partners[start : start + _CHUNK] for start in range(0, len(partners), _CHUNK)]
    partner_links = _LINKED + "l.framework <> {} AND l.item IN "
    query, args = _LINKED + "l.framework = {}", [*bounds, framework_id]
    if chunks:
        query += f" UNION ALL {partner_links}{_in_list(chunks[0])}"
        args += [*bounds, framework_id, *chunks[0]]
    rows = await Sql(query + " ORDER BY occurred_on DESC, entry_id").rows(*args)
    for chunk in chunks[1:]:
        rows += await Sql(partner_links + _in_list(chunk)).rows(*bounds, framework_id, *chunk)
    if len(chunks) > 1:
        rows.sort(key=lambda row: (row["occurred_on"], row["entry_id"]), reverse=True)
    return rows


async def crosswalk_pairs(framework_id: UUID) -> list[dict[str, Any]]:
    """``{item, partner, association_type, asserted_by}`` (ids as text) of the framework's items'
    crosswalk associations (``exactMatchOf``, ``isRelatedTo``, ``isPeerOf``), from both ends."""
    return await _CROSSWALK.rows(framework_id, framework_id)


async def framework_item_rows(framework_id: UUID) -> list[dict[str, Any]]:
    """The framework's items in tree order, ids as text."""
    return await _FRAMEWORK_ITEMS.rows(framework_id)


async def item_out_rows(item_ids: list[str]) -> list[dict[str, Any]]:
    """The items with these ids, as :data:`ITEM_OUT_COLUMNS`."""
    rows: list[dict[str, Any]] = []
    for start in range(0, len(item_ids), _CHUNK):
        chunk = item_ids[start : start + _CHUNK]
        rows += await Sql(
            f"SELECT {ITEM_OUT_COLUMNS} FROM competence_item i JOIN competence_framework f ON f.id = i.framework "
            f"WHERE i.id IN {_in_list(chunk)}"
        ).rows(*chunk)
    return rows
