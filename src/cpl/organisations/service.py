"""Organisations and their members.

Rules:
- Whoever creates an organisation becomes its admin.
- People join only by accepting an invitation (see :mod:`cpl.organisations.invitations`).
- Auditors belong to regulators; supervisors to employers. Workers and admins to either
  (a regulator samples a registrant by inviting them as a worker, SSSC's sampling).
- A worker may belong to several organisations at once. Leaving one ends every role held
  there, the supervision links through it and every share with it or its supervisors; the
  worker's record stays whole, because it was never the organisation's.
- An organisation one is not a member of answers "not found"; a member without the admin
  role who tries an admin's action is refused (403).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from cpl.accounts.events import AccountErased
from cpl.db import on_postgres, write_transaction
from cpl.errors import NotAllowed, NotFound, invalid_field
from cpl.kernel import clock
from cpl.kernel.events import EventBus
from cpl.organisations.events import MembershipEnded
from cpl.organisations.schemas import ROLES_OF_KIND, MemberOut, OrganisationIn, OrganisationOut
from cpl.organisations.tables import Membership, Organisation, SupervisionLink
from cpl.organisations.vetting import is_vetted, vetted_now


async def active_roles(account: UUID, organisation: UUID) -> set[str]:
    rows = await Membership.select(Membership.role).where(
        (Membership.account == account) & (Membership.organisation == organisation) & Membership.left_at.is_null()
    )
    return {row["role"] for row in rows}


async def member_organisation(account: UUID, organisation: UUID) -> tuple[dict[str, Any], set[str]]:
    """The organisation and the caller's roles in it; not found unless they are a member."""
    roles = await active_roles(account, organisation)
    row = await Organisation.select().where(Organisation.id == organisation).first() if roles else None
    if row is None:
        raise NotFound("No organisation with this id.")
    return row, roles


async def admin_organisation(account: UUID, organisation: UUID) -> dict[str, Any]:
    row, roles = await member_organisation(account, organisation)
    if "admin" not in roles:
        raise NotAllowed("Only an admin of the organisation may do this.")
    return row


def check_role(kind: str, role: str, field: str = "role") -> None:
    """Only a role the organisation's kind has (:data:`.schemas.ROLES_OF_KIND`)."""
    if role not in ROLES_OF_KIND[kind]:
        allowed = ", ".join(sorted(ROLES_OF_KIND[kind]))
        article = "an" if kind[0] in "aeiou" else "a"
        message = f"{article} {kind} has no {role} role; use one of {allowed}"
        raise invalid_field(field, message)


def organisation_out(row: dict[str, Any], roles: set[str], vetted: bool) -> OrganisationOut:
    return OrganisationOut(
        id=row["id"],
        name=row["name"],
        kind=row["kind"],
        my_roles=sorted(roles),
        created_at=row["created_at"],
        vetted=vetted,
    )


async def my_organisation(account: UUID, organisation: UUID) -> OrganisationOut:
    row, roles = await member_organisation(account, organisation)
    return organisation_out(row, roles, await is_vetted(organisation))


async def create_organisation(account: UUID, data: OrganisationIn) -> OrganisationOut:
    """Make the organisation, with its creator as its first admin."""
    row = {"id": uuid4(), "name": data.name, "kind": data.kind, "created_by": account, "created_at": clock.now()}
    async with write_transaction():
        await Organisation.insert(Organisation(**row))
        await Membership.insert(Membership(id=uuid4(), organisation=row["id"], account=account, role="admin"))
    return organisation_out(row, {"admin"}, False)


async def my_organisations(account: UUID) -> list[OrganisationOut]:
    rows = (
        await Membership.select(
            Membership.role, *Membership.organisation.all_columns(exclude=[Membership.organisation.created_by])
        )
        .where((Membership.account == account) & Membership.left_at.is_null())
        .output(nested=True)
    )
    found: dict[UUID, tuple[dict, set[str]]] = {}
    for row in rows:
        found.setdefault(row["organisation"]["id"], (row["organisation"], set()))[1].add(row["role"])
    vetted = await vetted_now(list(found))
    return [
        organisation_out(org, roles, vetted[org["id"]])
        for org, roles in sorted(found.values(), key=lambda pair: pair[0]["name"])
    ]


async def list_members(account: UUID, organisation: UUID) -> list[MemberOut]:
    """Everyone who holds or held a role, for the organisation's admins."""
    await admin_organisation(account, organisation)
    rows = (
        await Membership.select(
            Membership.id,
            Membership.account,
            Membership.role,
            Membership.joined_at,
            Membership.left_at,
            Membership.account.display_name,
            Membership.account.email,
        )
        .where(Membership.organisation == organisation)
        .order_by(Membership.joined_at)
    )
    return [
        MemberOut(
            membership_id=row["id"],
            account_id=row["account"],
            display_name=row["account.display_name"],
            email=row["account.email"],
            role=row["role"],
            joined_at=row["joined_at"],
            left_at=row["left_at"],
        )
        for row in rows
    ]


async def end_membership(events: EventBus, organisation: UUID, account: UUID) -> None:
    """End every role ``account`` holds in the organisation and its supervision links there;
    the caller holds the transaction. :class:`~cpl.organisations.events.MembershipEnded` is
    published in it (sharing ends the shares made with the organisation or through them)."""
    ended = clock.now()
    await Membership.update({Membership.left_at: ended}).where(
        (Membership.organisation == organisation) & (Membership.account == account) & Membership.left_at.is_null()
    )
    await SupervisionLink.update({SupervisionLink.ended_at: ended}).where(
        (SupervisionLink.organisation == organisation)
        & ((SupervisionLink.supervisor == account) | (SupervisionLink.worker == account))
        & SupervisionLink.ended_at.is_null()
    )
    await events.publish(MembershipEnded(organisation=organisation, account=account, ended_at=ended))


async def leave(events: EventBus, account: UUID, organisation: UUID) -> None:
    """Leave an organisation (every role); the last admin may not leave it without an admin."""
    async with write_transaction():
        _, roles = await member_organisation(account, organisation)
        if "admin" in roles and await count_admins(organisation, lock=True) == 1:
            raise NotAllowed("You are the organisation's only admin; invite another admin before leaving.")
        await end_membership(events, organisation, account)


async def remove_member(events: EventBus, admin: UUID, organisation: UUID, account: UUID) -> None:
    """An admin ends someone's membership (they left the employer, say)."""
    async with write_transaction():
        await admin_organisation(admin, organisation)
        if not await active_roles(account, organisation):
            raise NotFound("No current member with this id.")
        if account == admin and await count_admins(organisation, lock=True) == 1:
            raise NotAllowed("You are the organisation's only admin; invite another admin before leaving.")
        await end_membership(events, organisation, account)


async def count_admins(organisation: UUID, *, lock: bool = False) -> int:
    """Current admins. With ``lock``, two admins leaving at once are taken one after the other
    (the organisation's row is locked on PostgreSQL; SQLite's write lock already does it), so
    the second sees the first gone and cannot leave the organisation without an admin."""
    if lock and on_postgres():
        await Organisation.raw("SELECT id FROM organisation WHERE id = {} FOR UPDATE", organisation)
    return await Membership.count().where(
        (Membership.organisation == organisation) & (Membership.role == "admin") & Membership.left_at.is_null()
    )


async def erase_member(erased: AccountErased) -> None:
    """The person's memberships and supervision links, on either side, go (GDPR Art. 17)."""
    account = erased.account_id
    await SupervisionLink.delete().where((SupervisionLink.worker == account) | (SupervisionLink.supervisor == account))
    await Membership.delete().where(Membership.account == account)


async def memberships_data(account: UUID) -> list[dict[str, Any]]:
    """The person's memberships (ended ones too) and supervision links, on either side."""
    members = await Membership.select(
        Membership.id, Membership.organisation.name, Membership.role, Membership.joined_at, Membership.left_at
    ).where(Membership.account == account)
    links = await SupervisionLink.select().where(
        (SupervisionLink.worker == account) | (SupervisionLink.supervisor == account)
    )
    return [{"kind": "membership", **row} for row in members] + [{"kind": "supervision", **row} for row in links]


async def role_holders(organisations: list[UUID], role: str) -> dict[UUID, list[UUID]]:
    """Organisation → the accounts holding ``role`` in it now (ended memberships grant nothing)."""
    found: dict[UUID, list[UUID]] = {organisation: [] for organisation in organisations}
    if not organisations:
        return found
    rows = await Membership.select(Membership.organisation, Membership.account).where(
        Membership.organisation.is_in(organisations) & (Membership.role == role) & Membership.left_at.is_null()
    )
    for row in rows:
        found[row["organisation"]].append(row["account"])
    return found
