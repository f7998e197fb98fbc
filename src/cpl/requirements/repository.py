"""Statements on requirements' tables that the query builder cannot serve well.

Raw SQL lives only here in this domain (``src/cpl/README.md``), each statement with its reason.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from cpl.db import Sql

# Raw SQL: the rules key peer discussions by the text of the entry id; read as text, the same SQL
# on both databases and faster on SQLite than its per-value UUID converter.
_PEER_DISCUSSIONS = (
    "SELECT CAST(entry AS TEXT) AS entry, name, pin, email, address, role, learning, updated_at "
    "FROM peer_discussion WHERE owner IN ({})"
)


async def peer_discussions(owners: list[UUID]) -> list[dict[str, Any]]:
    """The owners' peer discussion records, each with its entry's id as text."""
    return await Sql(_PEER_DISCUSSIONS.format(", ".join("{}" for _ in owners))).rows(*owners)
