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


# Raw SQL: a reminders run reads 100,000 workers' registrations 500 owners at a time; the builder's
# IN list compiles each of the 500 values on every call (a tenth of the run, bench.reminders).
_OWNERS_REGISTRATIONS = (
    "SELECT id, owner, register, part, cycle_start, renewal_date, pack_edition FROM registration "
    "WHERE owner IN ({}) ORDER BY owner"
)


async def registrations_of(owners: list[UUID]) -> list[dict[str, Any]]:
    """What rules need of these owners' registrations: id, owner, register, part, dates, pinned edition."""
    if not owners:
        return []
    return await Sql(_OWNERS_REGISTRATIONS.format(", ".join("{}" for _ in owners))).rows(*owners)
