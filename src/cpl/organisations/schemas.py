"""Bodies of the organisations API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import Field

from cpl.accounts.schemas import Email
from cpl.kernel.fields import Line, Name
from cpl.kernel.schemas import Out, RequestModel

Kind = Literal["employer", "regulator"]
Role = Literal["worker", "supervisor", "admin", "auditor"]
#: The roles each kind of organisation has: employers supervise, regulators audit.
ROLES_OF_KIND: dict[str, frozenset[str]] = {
    "employer": frozenset({"worker", "supervisor", "admin"}),
    "regulator": frozenset({"worker", "auditor", "admin"}),
}
ROLES_DESCRIPTION = "The role to join in, one the organisation's kind has: " + "; ".join(
    f"{kind}: {', '.join(sorted(roles))}" for kind, roles in ROLES_OF_KIND.items()
)


class OrganisationIn(RequestModel):
    name: Name(200)
    kind: Kind


class InvitationIn(RequestModel):
    email: Email
    role: Role = Field(description=ROLES_DESCRIPTION)


class MemberRolesIn(RequestModel):
    #: Every role the member is to hold from now on (roles not named end); at least one: to end
    #: every role, remove the member.
    roles: list[Role] = Field(
        min_length=1, max_length=4, description="The member's roles from now on. " + ROLES_DESCRIPTION
    )


class SupervisionLinkIn(RequestModel):
    supervisor_id: UUID
    worker_id: UUID


class OrganisationOut(Out):
    id: UUID
    name: str
    kind: str
    #: The caller's current roles in it.
    my_roles: list[str]
    created_at: datetime
    #: Whether an operator has vetted it (now). Until then it is a self-declared organisation,
    #: and its verifications say so.
    vetted: bool


class MemberOut(Out):
    membership_id: UUID
    account_id: UUID
    display_name: str
    email: str
    role: str
    joined_at: datetime
    left_at: datetime | None


class MemberRolesOut(Out):
    """A current member's roles after a change, and what the change did."""

    account_id: UUID
    display_name: str
    email: str
    roles: list[str]
    added: list[str]
    removed: list[str]


class InvitationOut(Out):
    id: UUID
    organisation_id: UUID
    organisation_name: str
    email: str
    role: str
    created_at: datetime
    accepted_at: datetime | None
    cancelled_at: datetime | None


class SupervisionLinkOut(Out):
    id: UUID
    organisation_id: UUID
    organisation_name: str
    supervisor_id: UUID
    supervisor_name: str
    worker_id: UUID
    worker_name: str
    created_at: datetime
    ended_at: datetime | None


class VettingIn(RequestModel):
    #: The evidence the decision rests on, in the operator's words ("Checked with NHS ODS, code S08000024").
    note: Line(2_000, min_length=1)


class VettingDecisionOut(Out):
    id: UUID
    #: ``vetted`` or ``revoked``.
    action: str
    note: str
    operator_id: UUID | None
    operator_name: str
    decided_at: datetime


class OperatorOrganisationOut(Out):
    """An organisation as operators see it: whether it is vetted now, and every decision so far."""

    id: UUID
    name: str
    kind: str
    created_at: datetime
    vetted: bool
    history: list[VettingDecisionOut]
