"""Statements on shares that the query builder cannot express.

Raw SQL lives only here in this domain (``src/cpl/README.md``), each statement with its reason.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from piccolo.columns.combination import WhereRaw

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
