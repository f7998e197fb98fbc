"""Changing a current member's roles (issue 15, item 2: "members and roles").

Rules:
- Only an admin of the organisation changes roles (403 for another member, 404 for anyone
  else), from a session opened with their second factor (:mod:`.guards`).
- The request names every role the member holds from then on: roles not named end (their
  membership row gets ``left_at``, as leaving does, so who held what and when stays
  answerable), roles newly named begin. Only roles the organisation's kind has
  (:data:`.schemas.ROLES_OF_KIND`); at least one — to end every role, remove the member.
- Only a current member's roles change (404 otherwise): joining is by invitation alone.
- An organisation keeps at least one admin: taking the admin role from its last admin is a
  conflict (409, ``urn:cpl:problem:last-admin``), as leaving is refused to its last admin.
- A role ended ends what needed it: no longer a supervisor, their supervision links there end;
  no longer a worker, theirs end. Each ending publishes
  :class:`~cpl.organisations.events.SupervisionEnded` (sharing ends the shares with that
  supervisor, reviews close the reviews they can no longer act on), as an admin's ending of the
  link does. Shares made with the organisation as a whole are untouched: the person is still a
  member, and leaving is what ends those.
- Naming the roles the member already holds changes nothing.
"""

from __future__ import annotations

from uuid import UUID, uuid4

from cpl.db import write_transaction
from cpl.errors import Conflict, NotFound
from cpl.kernel import clock
from cpl.kernel.events import EventBus
from cpl.organisations.schemas import MemberRolesIn, MemberRolesOut
from cpl.organisations.service import active_roles, admin_organisation, check_role, count_admins
from cpl.organisations.supervision import end_links_as
from cpl.organisations.tables import Membership

#: Roles whose ending ends the supervision links held in them.
LINKED_ROLES = ("supervisor", "worker")


class LastAdmin(Conflict):
    """The change would leave the organisation without an admin."""

    type = "urn:cpl:problem:last-admin"


async def set_roles(
    events: EventBus, admin: UUID, organisation: UUID, account: UUID, data: MemberRolesIn
) -> MemberRolesOut:
    """Make ``account``'s roles in the organisation exactly ``data.roles``; the change is one transaction."""
    wanted = set(data.roles)
    async with write_transaction():
        row = await admin_organisation(admin, organisation)
        for role in sorted(wanted):
            check_role(row["kind"], role, "roles")
        held = await active_roles(account, organisation)
        if not held:
            raise NotFound("No current member with this id.")
        added, removed = wanted - held, held - wanted
        if "admin" in removed and await count_admins(organisation, lock=True) == 1:
            raise LastAdmin(
                "This member is the organisation's only admin; make someone else an admin before taking the role away."
            )
        await _change(organisation, account, added, removed)
        for role in LINKED_ROLES:
            if role in removed:
                await end_links_as(events, organisation, account, role)
        person = await _person(organisation, account)
    return MemberRolesOut(
        account_id=account,
        display_name=person["account.display_name"],
        email=person["account.email"],
        roles=sorted(wanted),
        added=sorted(added),
        removed=sorted(removed),
    )


async def _person(organisation: UUID, account: UUID) -> dict:
    return (
        await Membership.select(Membership.account.display_name, Membership.account.email)
        .where((Membership.organisation == organisation) & (Membership.account == account))
        .first()
    )


async def _change(organisation: UUID, account: UUID, added: set[str], removed: set[str]) -> None:
    now = clock.now()
    if removed:
        await Membership.update({Membership.left_at: now}).where(
            (Membership.organisation == organisation)
            & (Membership.account == account)
            & Membership.role.is_in(sorted(removed))
            & Membership.left_at.is_null()
        )
    for role in sorted(added):
        await Membership.insert(
            Membership(id=uuid4(), organisation=organisation, account=account, role=role, joined_at=now)
        )
