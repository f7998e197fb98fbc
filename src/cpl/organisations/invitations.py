"""Invitations: how anyone comes to hold a role in an organisation.

Rules:
- Only an admin invites, by e-mail address, to one role the organisation's kind allows.
- Only the account with that address sees and accepts it, once; accepting when already
  holding the role is refused (409) and changes nothing.
- An invitation someone else's account can't see answers "not found".
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from cpl.db import write_transaction
from cpl.errors import Conflict, NotFound
from cpl.kernel import clock
from cpl.kernel.principal import Principal
from cpl.organisations.schemas import InvitationIn, InvitationOut
from cpl.organisations.service import active_roles, admin_organisation, check_role
from cpl.organisations.tables import Invitation, Membership

_COLUMNS = (
    Invitation.id,
    Invitation.organisation,
    Invitation.organisation.name,
    Invitation.email,
    Invitation.role,
    Invitation.created_at,
    Invitation.accepted_at,
    Invitation.cancelled_at,
)


def invitation_out(row: dict[str, Any]) -> InvitationOut:
    return InvitationOut(
        id=row["id"],
        organisation_id=row["organisation"],
        organisation_name=row["organisation.name"],
        email=row["email"],
        role=row["role"],
        created_at=row["created_at"],
        accepted_at=row["accepted_at"],
        cancelled_at=row["cancelled_at"],
    )


async def invite(admin: UUID, organisation: UUID, data: InvitationIn) -> InvitationOut:
    org = await admin_organisation(admin, organisation)
    check_role(org["kind"], data.role)
    invitation_id = uuid4()
    await Invitation.insert(
        Invitation(id=invitation_id, organisation=organisation, email=data.email, role=data.role, invited_by=admin)
    )
    return invitation_out(await Invitation.select(*_COLUMNS).where(Invitation.id == invitation_id).first())


async def organisation_invitations(admin: UUID, organisation: UUID) -> list[InvitationOut]:
    await admin_organisation(admin, organisation)
    rows = (
        await Invitation.select(*_COLUMNS)
        .where(Invitation.organisation == organisation)
        .order_by(Invitation.created_at)
    )
    return [invitation_out(row) for row in rows]


async def my_invitations(caller: Principal) -> list[InvitationOut]:
    """Invitations to my e-mail address still waiting for an answer."""
    rows = (
        await Invitation.select(*_COLUMNS)
        .where(
            (Invitation.email == caller.email) & Invitation.accepted_at.is_null() & Invitation.cancelled_at.is_null()
        )
        .order_by(Invitation.created_at)
    )
    return [invitation_out(row) for row in rows]


async def _pending_for(caller: Principal, invitation: UUID) -> dict[str, Any]:
    row = await Invitation.select(*_COLUMNS).where(Invitation.id == invitation).first()
    if row is None or row["email"] != caller.email:
        raise NotFound("No invitation with this id.")
    if row["accepted_at"] is not None or row["cancelled_at"] is not None:
        raise Conflict("This invitation has already been answered.")
    return row


async def accept(caller: Principal, invitation: UUID) -> InvitationOut:
    """Take up the role. The invitation is spent whether or not the role was held already."""
    async with write_transaction():
        row = await _pending_for(caller, invitation)
        if row["role"] in await active_roles(caller.account_id, row["organisation"]):
            raise Conflict(f"You are already a {row['role']} of this organisation.")
        accepted = clock.now()
        await Invitation.update({Invitation.accepted_at: accepted}).where(Invitation.id == invitation)
        await Membership.insert(
            Membership(id=uuid4(), organisation=row["organisation"], account=caller.account_id, role=row["role"])
        )
    return invitation_out({**row, "accepted_at": accepted})


async def decline(caller: Principal, invitation: UUID) -> None:
    async with write_transaction():
        await _pending_for(caller, invitation)
        await Invitation.update({Invitation.cancelled_at: clock.now()}).where(Invitation.id == invitation)
