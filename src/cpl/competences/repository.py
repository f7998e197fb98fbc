"""Statements on the competence tables that the query builder cannot serve well.

Raw SQL lives only here in this domain (``src/cpl/README.md``), each statement with its reason.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from cpl.db import Sql


def _in_list(values: list[Any]) -> str:
    return f"({', '.join('{}' for _ in values)})"


# Raw SQL: entry ids are read as text (the rules key everything by the text of the id), the same
# SQL on both databases and faster on SQLite than its per-value UUID converter; and the join of
# three tables with an IN list per call, which the builder would spell as three queries.
_OWNERS_LINKS = (
    "SELECT CAST(l.entry AS TEXT) AS entry, f.identifier, i.code FROM competence_link l "
    "JOIN competence_item i ON i.id = l.item JOIN competence_framework f ON f.id = i.framework "
    "WHERE l.owner IN {} AND f.identifier IN {}"
)


async def links_to_frameworks(owners: list[UUID], identifiers: list[str]) -> list[dict[str, Any]]:
    """The owners' links to items of the frameworks with these CASE identifiers (any edition):
    ``{entry (id as text), identifier, code}`` each."""
    return await Sql(_OWNERS_LINKS.format(_in_list(owners), _in_list(identifiers))).rows(*owners, *identifiers)
