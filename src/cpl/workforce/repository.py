"""The workforce view's reads of other domains' tables, restricted to the workers sharing with
one organisation by one subquery.

Raw SQL lives only here in this domain (``src/cpl/README.md``). The reason is the one
``cpl.reviews.repository`` gives for the team view, at a larger scale: an organisation has
thousands of sharing workers (bench.workforce: 10,000), and one subquery parameter replaces an
``IN`` list of 10,000 ids read first (SQLite refuses more than 32,766 parameters). Ids are read
as text: the same on both databases, and no per-value converter on SQLite. These statements only
read; their tables are written by their own domains.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from cpl.db import Sql, on_postgres
from cpl.requirements.tables import Registration

#: The workers with a share in force with the organisation itself (:func:`cpl.sharing.repository.organisation_shares`).
_SHARING = (
    "owner IN (SELECT owner FROM evidence_share WHERE organisation = {} AND supervisor IS NULL AND ended_at IS NULL)"
)
_COUNTERS = Sql(f"SELECT CAST(owner AS TEXT) AS owner, last_seq FROM evidence_change_counter WHERE {_SHARING}")
_LINK_IDS = Sql(f"SELECT CAST(owner AS TEXT) AS owner, CAST(id AS TEXT) AS id FROM competence_link WHERE {_SHARING}")
_PEERS = Sql(
    "SELECT CAST(owner AS TEXT) AS owner, CAST(entry AS TEXT) AS entry, name, pin, email, address, role, learning "
    f"FROM peer_discussion WHERE {_SHARING}"
)


def _state(names: str) -> Sql:
    """One row that changes whenever anything a workforce line is computed from changes: shares are
    only made or ended, change counters only grow, registrations and peer discussions stamp
    ``updated_at`` on every write, framework links are only made or deleted; names change without a
    timestamp, so they are aggregated whole (``names``: the database's string aggregate). The sharing
    workers are found once (a materialised CTE); timestamps are read as text (the same on both
    databases)."""

    def counted(table: str, stamp: str) -> str:
        return (
            f"(SELECT CAST(COUNT(*) AS TEXT) || '/' || COALESCE(CAST(MAX(t.{stamp}) AS TEXT), '') "
            f"FROM w JOIN {table} t ON t.owner = w.owner)"
        )

    return Sql(
        "WITH s AS MATERIALIZED (SELECT owner, created_at, ended_at FROM evidence_share "
        "WHERE organisation = {} AND supervisor IS NULL), "
        "w AS MATERIALIZED (SELECT DISTINCT owner FROM s WHERE ended_at IS NULL) "
        "SELECT (SELECT COUNT(*) FROM s WHERE ended_at IS NULL) AS shares, "
        "(SELECT CAST(MAX(created_at) AS TEXT) || '/' || COALESCE(CAST(MAX(ended_at) AS TEXT), '') FROM s) AS made, "
        "(SELECT SUM(c.last_seq) FROM w JOIN evidence_change_counter c ON c.owner = w.owner) AS changes, "
        f"{counted('registration', 'updated_at')} AS registrations, "
        f"{counted('competence_link', 'created_at')} AS links, "
        f"{counted('peer_discussion', 'updated_at')} AS peers, "
        f"(SELECT {names} FROM w JOIN account a ON a.id = w.owner) AS names"
    )


# Raw SQL (bench.workforce, bench/RESULTS.md): every request of the workforce view first asks whether
# anything changed for the organisation's 10,000 workers; one statement of aggregates answers in a few
# milliseconds, where reading each worker's state cost hundreds.
_STATE_SQLITE = _state("group_concat(CAST(a.id AS TEXT) || ':' || a.display_name, char(10))")
_STATE_POSTGRES = _state("string_agg(CAST(a.id AS TEXT) || ':' || a.display_name, chr(10) ORDER BY a.id)")
_SUPERVISORS = Sql(
    "SELECT CAST(l.worker AS TEXT) AS worker, CAST(l.supervisor AS TEXT) AS supervisor, a.display_name "
    "FROM supervision_link l JOIN account a ON a.id = l.supervisor "
    "WHERE l.organisation = {} AND l.ended_at IS NULL ORDER BY a.display_name, l.supervisor"
)


_REGISTRATION_STATE = Sql(
    "SELECT CAST(owner AS TEXT) AS owner, CAST(id AS TEXT) AS id, register, part, CAST(cycle_start AS TEXT) AS "
    "cycle_start, CAST(renewal_date AS TEXT) AS renewal_date, pack_edition "
    f"FROM registration WHERE {_SHARING} ORDER BY created_at, id"
)


async def sharing_registration_state(organisation: UUID) -> list[dict[str, Any]]:
    """What the rules read of every registration of the workers sharing with the organisation, as
    text, oldest first: whether a worker's registrations changed."""
    return await _REGISTRATION_STATE.rows(organisation)


async def registrations_of(owners: list[UUID]) -> list[dict[str, Any]]:
    """These workers' registrations, oldest first, as the requirements engine reads them."""
    return (
        await Registration.select()
        .where(Registration.owner.is_in(owners))
        .order_by(Registration.created_at, Registration.id)
    )


async def sharing_change_counters(organisation: UUID) -> dict[str, int]:
    """Owner id (text) → their evidence change counter, for those who ever wrote."""
    return {row["owner"]: row["last_seq"] for row in await _COUNTERS.rows(organisation)}


async def sharing_link_ids(organisation: UUID) -> list[dict[str, Any]]:
    """``{owner, id}`` (text) of every competence link of the workers sharing with the organisation."""
    return await _LINK_IDS.rows(organisation)


async def sharing_peer_discussions(organisation: UUID) -> list[dict[str, Any]]:
    """Every peer discussion record of the workers sharing with the organisation, ids as text."""
    return await _PEERS.rows(organisation)


async def workforce_state(organisation: UUID) -> tuple:
    """A value that differs whenever any worker's workforce line or name may differ (see
    :func:`_state`), in one statement: the whole workforce is looked at again only when it moves."""
    [row] = await (_STATE_POSTGRES if on_postgres() else _STATE_SQLITE).rows(organisation)
    return tuple(row.values())


async def current_supervisors(organisation: UUID) -> list[dict[str, Any]]:
    """``{worker, supervisor, display_name}`` of every current supervision link in the
    organisation (ids as text), by the supervisor's name: the organisation's teams."""
    return await _SUPERVISORS.rows(organisation)
