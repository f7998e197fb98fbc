"""Statements on shares that the query builder cannot express.

Raw SQL lives only here in this domain (``src/cpl/README.md``), each statement with its reason.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from piccolo.columns.combination import WhereRaw

from cpl.db import Sql
from cpl.sharing.tables import Share

# WhereRaw: whether a share grants the viewer depends on correlated EXISTS subqueries on the
# supervision links and memberships as they stand (one statement, read in the request's
# snapshot); the builder has no correlated EXISTS.
_GRANTS = (
    "((supervisor = {} AND EXISTS (SELECT 1 FROM supervision_link l WHERE l.organisation = evidence_share.organisation "
    "AND l.supervisor = evidence_share.supervisor AND l.worker = evidence_share.owner AND l.ended_at IS NULL)) "
    "OR (supervisor IS NULL AND EXISTS (SELECT 1 FROM membership m WHERE m.organisation = evidence_share.organisation "
    "AND m.account = {} AND m.left_at IS NULL AND m.role IN ('admin', 'supervisor', 'auditor'))))"
)


async def shares_granting(viewer: UUID, owners: list[UUID] | None) -> list[dict[str, Any]]:
    """The shares in force that grant ``viewer`` something (of these ``owners``', when given), oldest first.

    Give the owners whenever they are known: the statement then starts from their shares (the
    owner index), not from every share in force with the viewer's organisations — a supervisor in
    an employer of 1,000 sharing workers read 1,020 shares for a team of 20, by a sequential scan
    that PostgreSQL also compiled (JIT) each time: 164 ms at 1,000,000 entries, 0.5 ms with the
    owners (bench.scale, bench/RESULTS.md).
    """
    where = Share.ended_at.is_null() & WhereRaw(_GRANTS, viewer, viewer)
    if owners is not None:
        where = where & Share.owner.is_in(owners)
    return await Share.select().where(where).order_by(Share.created_at)


# Raw SQL (bench.workforce, bench/RESULTS.md): the workforce view reads every share in force with an
# organisation of 10,000 workers on every request, to see whose changed; read as text (the same on both
# databases), it skips SQLite's per-value type converters, which cost more than the query. The join
# reads each owner's name from account, which only cpl.accounts writes.
_ORGANISATION_SHARE_STATE = Sql(
    "SELECT CAST(s.owner AS TEXT) AS owner, a.display_name, CAST(s.id AS TEXT) AS id, s.scope, "
    "CAST(s.occurred_from AS TEXT) AS occurred_from, CAST(s.occurred_to AS TEXT) AS occurred_to, "
    "CAST(s.framework AS TEXT) AS framework, CAST(s.registration AS TEXT) AS registration "
    "FROM evidence_share s JOIN account a ON a.id = s.owner "
    "WHERE s.organisation = {} AND s.supervisor IS NULL AND s.ended_at IS NULL ORDER BY s.created_at, s.id"
)


async def organisation_share_state(organisation: UUID) -> list[dict[str, Any]]:
    """The shares in force with the organisation itself (not with one of its supervisors), as text,
    each with its owner's ``display_name``: what its admins, supervisors and auditors are granted,
    worker by worker (the workforce view, :mod:`cpl.workforce`). A share's filter and chosen entries
    never change, so these rows say whether a worker's shares did."""
    return await _ORGANISATION_SHARE_STATE.rows(organisation)


async def organisation_shares(organisation: UUID, owners: list[UUID]) -> list[dict[str, Any]]:
    """These owners' shares in force with the organisation itself, oldest first, as
    :func:`shares_granting` reads them."""
    return (
        await Share.select()
        .where(
            (Share.organisation == organisation)
            & Share.owner.is_in(owners)
            & Share.supervisor.is_null()
            & Share.ended_at.is_null()
        )
        .order_by(Share.created_at)
    )
