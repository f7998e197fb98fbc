"""The reads of a supervisor's team view that the query builder cannot serve well.

Raw SQL lives only here in this domain (``src/cpl/README.md``). These statements read other
domains' tables (registrations, competence links, peer discussions) restricted to the
supervisor's current supervisees by one subquery — one parameter however large the team, where
the builder would need a 200-item ``IN`` list read first (bench.reviews, bench/RESULTS.md).
They only read; those tables are written by their own domains.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from piccolo.columns.combination import WhereRaw

from cpl.db import Sql
from cpl.requirements.tables import Registration

#: The supervisor's current supervisees.
_TEAM = "owner IN (SELECT worker FROM supervision_link WHERE supervisor = {} AND ended_at IS NULL)"
#: Ids are read as text: the same on both databases, and no per-value converter on SQLite.
_LINK_IDS = Sql(f"SELECT CAST(owner AS TEXT) AS owner, CAST(id AS TEXT) AS id FROM competence_link WHERE {_TEAM}")
_PEERS = Sql(
    "SELECT CAST(owner AS TEXT) AS owner, CAST(entry AS TEXT) AS entry, name, pin, email, address, role, learning "
    f"FROM peer_discussion WHERE {_TEAM}"
)


async def team_registrations(supervisor: UUID) -> list[dict[str, Any]]:
    """Every registration of the supervisor's current supervisees, oldest first."""
    return await Registration.select().where(WhereRaw(_TEAM, supervisor)).order_by(Registration.created_at)


async def team_link_ids(supervisor: UUID) -> list[dict[str, Any]]:
    """``{owner, id}`` (text) of every competence link of the supervisor's current supervisees."""
    return await _LINK_IDS.rows(supervisor)


async def team_peer_discussions(supervisor: UUID) -> list[dict[str, Any]]:
    """Every peer discussion record of the supervisor's current supervisees, owner and entry as text."""
    return await _PEERS.rows(supervisor)
