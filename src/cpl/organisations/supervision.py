"""Supervision links: which supervisor supervises which worker, inside one organisation.

Rules:
- Only the organisation's admin links, and only a current supervisor of it to a current
  worker of it; nobody supervises themself. A pair has at most one current link.
- Ending a link ends the worker's shares with that supervisor there, at once (and
  :func:`cpl.sharing.visibility.visible_shares` grants nothing without a current link).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from cpl.accounts.ownership import require_verified_email
from cpl.db import write_transaction
from cpl.errors import Conflict, NotFound, invalid_field
from cpl.kernel import clock
from cpl.kernel.events import EventBus
from cpl.organisations.events import SupervisionEnded
from cpl.organisations.schemas import SupervisionLinkIn, SupervisionLinkOut
from cpl.organisations.service import active_roles, admin_organisation
from cpl.organisations.tables import SupervisionLink

_COLUMNS = (
    SupervisionLink.id,
    SupervisionLink.organisation,
    SupervisionLink.organisation.name,
    SupervisionLink.supervisor,
    SupervisionLink.supervisor.display_name,
    SupervisionLink.worker,
    SupervisionLink.worker.display_name,
    SupervisionLink.created_at,
    SupervisionLink.ended_at,
)


def link_out(row: dict[str, Any]) -> SupervisionLinkOut:
    return SupervisionLinkOut(
        id=row["id"],
        organisation_id=row["organisation"],
        organisation_name=row["organisation.name"],
        supervisor_id=row["supervisor"],
        supervisor_name=row["supervisor.display_name"],
        worker_id=row["worker"],
        worker_name=row["worker.display_name"],
        created_at=row["created_at"],
        ended_at=row["ended_at"],
    )


async def active_link(organisation: UUID, supervisor: UUID, worker: UUID) -> dict[str, Any] | None:
    """The current link between the two in the organisation, if there is one."""
    return (
        await SupervisionLink.select()
        .where(
            (SupervisionLink.organisation == organisation)
            & (SupervisionLink.supervisor == supervisor)
            & (SupervisionLink.worker == worker)
            & SupervisionLink.ended_at.is_null()
        )
        .first()
    )


async def link(admin: UUID, organisation: UUID, data: SupervisionLinkIn) -> SupervisionLinkOut:
    """Only a supervisor whose e-mail address is verified is linked (403 otherwise)."""
    async with write_transaction():
        await admin_organisation(admin, organisation)
        if data.supervisor_id == data.worker_id:
            raise invalid_field("worker_id", "nobody supervises themself")
        if "supervisor" not in await active_roles(data.supervisor_id, organisation):
            raise invalid_field("supervisor_id", "not a current supervisor of this organisation")
        await require_verified_email(
            data.supervisor_id, "The supervisor has not confirmed their e-mail address yet; they must do so first."
        )
        if "worker" not in await active_roles(data.worker_id, organisation):
            raise invalid_field("worker_id", "not a current worker of this organisation")
        if await active_link(organisation, data.supervisor_id, data.worker_id):
            raise Conflict("This supervisor already supervises this worker here.")
        link_id = uuid4()
        await SupervisionLink.insert(
            SupervisionLink(id=link_id, organisation=organisation, supervisor=data.supervisor_id, worker=data.worker_id)
        )
    return link_out(await SupervisionLink.select(*_COLUMNS).where(SupervisionLink.id == link_id).first())


async def organisation_links(admin: UUID, organisation: UUID) -> list[SupervisionLinkOut]:
    await admin_organisation(admin, organisation)
    rows = (
        await SupervisionLink.select(*_COLUMNS)
        .where(SupervisionLink.organisation == organisation)
        .order_by(SupervisionLink.created_at)
    )
    return [link_out(row) for row in rows]


async def end_link(events: EventBus, admin: UUID, organisation: UUID, link_id: UUID) -> None:
    """End the link; :class:`~cpl.organisations.events.SupervisionEnded` is published in the same
    transaction (sharing ends the worker's shares with that supervisor there)."""
    async with write_transaction():
        await admin_organisation(admin, organisation)
        row = (
            await SupervisionLink.select()
            .where((SupervisionLink.id == link_id) & (SupervisionLink.organisation == organisation))
            .first()
        )
        if row is None:
            raise NotFound("No supervision link with this id.")
        if row["ended_at"] is None:
            await _end(events, row, clock.now())


async def end_links_as(events: EventBus, organisation: UUID, account: UUID, role: str) -> None:
    """End every current link in the organisation in which ``account`` is the ``supervisor`` or the
    ``worker`` (they no longer hold that role there), each as an admin's ending of it would be;
    the caller holds the transaction."""
    side = SupervisionLink.supervisor if role == "supervisor" else SupervisionLink.worker
    rows = await SupervisionLink.select().where(
        (SupervisionLink.organisation == organisation) & (side == account) & SupervisionLink.ended_at.is_null()
    )
    ended = clock.now()
    for row in rows:
        await _end(events, row, ended)


async def _end(events: EventBus, row: dict[str, Any], ended: datetime) -> None:
    """End one link; :class:`~cpl.organisations.events.SupervisionEnded` tells sharing and reviews."""
    await SupervisionLink.update({SupervisionLink.ended_at: ended}).where(SupervisionLink.id == row["id"])
    await events.publish(
        SupervisionEnded(
            organisation=row["organisation"], supervisor=row["supervisor"], worker=row["worker"], ended_at=ended
        )
    )


async def my_links(account: UUID) -> list[SupervisionLinkOut]:
    """My current links, as supervisor and as worker: whom I may share with, whom I supervise."""
    rows = (
        await SupervisionLink.select(*_COLUMNS)
        .where(
            ((SupervisionLink.supervisor == account) | (SupervisionLink.worker == account))
            & SupervisionLink.ended_at.is_null()
        )
        .order_by(SupervisionLink.created_at)
    )
    return [link_out(row) for row in rows]
