"""Invitations: how anyone comes to hold a role in an organisation.

Rules:
- Only an admin whose own address is verified invites, by e-mail address, to one role the
  organisation's kind allows. The invitation is mailed to that address with a link.
- An address has at most one open invitation per organisation. Inviting it again to the same
  role answers 200 with the open invitation and mails a fresh link (the older link stops
  working): an admin who invites twice means "send it again". Inviting it to another role
  while one is open is refused (409): the first must be answered or withdrawn.
- The invitation is bound to its address. It is accepted through its link by signing in as
  the account with that address (the link and the password together prove the mailbox and the
  account, so the address counts as verified from then on), or through the API by an account
  that has verified that address. An account that registered the address but never verified it
  sees nothing and accepts nothing; another account never can.
- Accepting when already holding the role is refused (409) and changes nothing. An invitation
  someone else's account can't see answers "not found".
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from cpl.accounts import email_links
from cpl.accounts.events import AccountErased
from cpl.accounts.ownership import mark_email_verified, require_verified_email
from cpl.accounts.service import get_account
from cpl.db import on_postgres, write_transaction
from cpl.errors import Conflict, NotFound
from cpl.kernel import clock
from cpl.kernel.principal import Principal
from cpl.mail import queue_mail, send_queued
from cpl.organisations.schemas import InvitationIn, InvitationOut
from cpl.organisations.service import active_roles, admin_organisation, check_role
from cpl.organisations.tables import Invitation, Membership, Organisation
from cpl.settings import Settings

ACCEPT_PATH = "/invitations/accept"
ROLE_NAMES = {"worker": "a worker", "supervisor": "a supervisor", "admin": "an admin", "auditor": "an auditor"}

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


async def _open_invitation(organisation: UUID, email: str) -> dict[str, Any] | None:
    return (
        await Invitation.select(*_COLUMNS)
        .where(
            (Invitation.organisation == organisation)
            & (Invitation.email == email)
            & Invitation.accepted_at.is_null()
            & Invitation.cancelled_at.is_null()
        )
        .first()
    )


async def _queue_invitation_mail(settings: Settings, row: dict[str, Any], inviter: str) -> UUID:
    token = await email_links.issue(email_links.INVITATION, row["email"], settings.invitation_ttl, subject=row["id"])
    return await queue_mail(
        row["email"],
        "invitation",
        service=settings.service_name,
        inviter=inviter,
        organisation=row["organisation.name"],
        role=ROLE_NAMES[row["role"]],
        link=email_links.link_url(settings, ACCEPT_PATH, token),
        base=settings.public_base_url.rstrip("/"),
        days=settings.invitation_ttl.days,
    )


async def invite(settings: Settings, admin: UUID, organisation: UUID, data: InvitationIn) -> tuple[InvitationOut, bool]:
    """Invite (or invite again: see the rules); returns the invitation and whether it is new."""
    await require_verified_email(admin)
    async with write_transaction():
        org = await admin_organisation(admin, organisation)
        check_role(org["kind"], data.role)
        if on_postgres():  # two admins inviting the same address at once: the second waits, then finds the first
            await Organisation.raw("SELECT id FROM organisation WHERE id = {} FOR UPDATE", organisation)
        row = await _open_invitation(organisation, data.email)
        if row is not None and row["role"] != data.role:
            raise Conflict(
                f"{data.email} already has an open invitation here, as {row['role']} ({row['id']}); "
                "it must be answered or withdrawn first."
            )
        created = row is None
        if created:
            invitation_id = uuid4()
            await Invitation.insert(
                Invitation(
                    id=invitation_id, organisation=organisation, email=data.email, role=data.role, invited_by=admin
                )
            )
            row = await Invitation.select(*_COLUMNS).where(Invitation.id == invitation_id).first()
        inviter = await get_account(admin)
        mail = await _queue_invitation_mail(settings, row, inviter["display_name"])
    await send_queued(settings, [mail])
    return invitation_out(row), created


async def organisation_invitations(admin: UUID, organisation: UUID) -> list[InvitationOut]:
    await admin_organisation(admin, organisation)
    rows = (
        await Invitation.select(*_COLUMNS)
        .where(Invitation.organisation == organisation)
        .order_by(Invitation.created_at)
    )
    return [invitation_out(row) for row in rows]


async def my_invitations(caller: Principal) -> list[InvitationOut]:
    """Invitations to my verified e-mail address still waiting for an answer."""
    email = await require_verified_email(caller.account_id)
    rows = (
        await Invitation.select(*_COLUMNS)
        .where((Invitation.email == email) & Invitation.accepted_at.is_null() & Invitation.cancelled_at.is_null())
        .order_by(Invitation.created_at)
    )
    return [invitation_out(row) for row in rows]


async def _pending_for(account: UUID, invitation: UUID) -> dict[str, Any]:
    email = await require_verified_email(account)
    row = await Invitation.select(*_COLUMNS).where(Invitation.id == invitation).first()
    if row is None or row["email"] != email:
        raise NotFound("No invitation with this id.")
    if row["accepted_at"] is not None or row["cancelled_at"] is not None:
        raise Conflict("This invitation has already been answered.")
    return row


async def _take_up(account: UUID, row: dict[str, Any]) -> InvitationOut:
    """Spend the invitation and give the role (in the caller's transaction)."""
    if row["role"] in await active_roles(account, row["organisation"]):
        raise Conflict(f"You are already {ROLE_NAMES[row['role']]} of this organisation.")
    accepted = clock.now()
    await Invitation.update({Invitation.accepted_at: accepted}).where(Invitation.id == row["id"])
    await Membership.insert(Membership(id=uuid4(), organisation=row["organisation"], account=account, role=row["role"]))
    return invitation_out({**row, "accepted_at": accepted})


async def accept(caller: Principal, invitation: UUID) -> InvitationOut:
    """Take up the role, as the account that verified the invited address."""
    async with write_transaction():
        return await _take_up(caller.account_id, await _pending_for(caller.account_id, invitation))


async def decline(caller: Principal, invitation: UUID) -> None:
    async with write_transaction():
        await _pending_for(caller.account_id, invitation)
        await Invitation.update({Invitation.cancelled_at: clock.now()}).where(Invitation.id == invitation)


async def invitation_of_link(token: str) -> dict[str, Any]:
    """The open invitation a link is for, with who sent it (the link is not used up)."""
    link = await email_links.peek(email_links.INVITATION, token)
    row = (
        await Invitation.select(*_COLUMNS, Invitation.invited_by.display_name)
        .where(Invitation.id == link["subject"])
        .first()
    )
    if row is None or row["accepted_at"] is not None or row["cancelled_at"] is not None:
        raise Conflict("This invitation has already been answered or withdrawn.")
    return row


async def accept_by_link(token: str, account: UUID) -> InvitationOut:
    """Accept through the mailed link, as ``account`` (whose password for the invited address the
    caller has checked): the link proves the mailbox, so the address is verified as well."""
    async with write_transaction():
        link = await email_links.redeem(email_links.INVITATION, token)
        row = await Invitation.select(*_COLUMNS).where(Invitation.id == link["subject"]).first()
        if row is None or row["accepted_at"] is not None or row["cancelled_at"] is not None:
            raise Conflict("This invitation has already been answered or withdrawn.")
        await mark_email_verified(account, row["email"])
        return await _take_up(account, row)


async def erase_invitations(erased: AccountErased) -> None:
    """Invitations sent to the person's address go; those they sent stay with the organisation."""
    if erased.email:
        await Invitation.delete().where(Invitation.email == erased.email)
