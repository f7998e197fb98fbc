"""The workforce view's reads of other domains' tables (they are written by their own domains).

The workforce's own tables are :mod:`cpl.workforce.store`'s.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from cpl.accounts.tables import Account
from cpl.organisations.tables import SupervisionLink
from cpl.requirements.tables import Registration


async def registrations_of(owners: list[UUID]) -> list[dict[str, Any]]:
    """These workers' registrations, oldest first, as the requirements engine reads them."""
    return (
        await Registration.select()
        .where(Registration.owner.is_in(owners))
        .order_by(Registration.created_at, Registration.id)
    )


async def names_of(owners: list[UUID]) -> dict[UUID, str]:
    """Each of these accounts' display name."""
    rows = await Account.select(Account.id, Account.display_name).where(Account.id.is_in(owners))
    return {row["id"]: row["display_name"] for row in rows}


async def supervisors_of(organisation: UUID, workers: list[UUID]) -> dict[UUID, list[tuple[UUID, str]]]:
    """Each of these workers' current supervisors in the organisation (id, name), by name."""
    if not workers:
        return {}
    link = SupervisionLink
    rows = (
        await link.select(link.worker, link.supervisor, link.supervisor.display_name.as_alias("name"))
        .where((link.organisation == organisation) & link.worker.is_in(workers) & link.ended_at.is_null())
        .order_by(link.supervisor.display_name)
        .order_by(link.supervisor)
    )
    found: dict[UUID, list[tuple[UUID, str]]] = {}
    for row in rows:
        found.setdefault(row["worker"], []).append((row["supervisor"], row["name"]))
    return found
