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

from cpl.db import Sql
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


async def current_supervisors(organisation: UUID) -> list[dict[str, Any]]:
    """``{worker, supervisor, display_name}`` of every current supervision link in the
    organisation (ids as text), by the supervisor's name: the organisation's teams."""
    return await _SUPERVISORS.rows(organisation)
