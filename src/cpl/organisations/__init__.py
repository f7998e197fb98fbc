"""Organisations (employers and regulators), their members, invitations and supervision links."""

from cpl.organisations.events import MembershipEnded, SupervisionEnded
from cpl.organisations.invitation_page import InvitationPageController
from cpl.organisations.invitations import erase_invitations
from cpl.organisations.operator_routes import OperatorOrganisationController
from cpl.organisations.routes import (
    InvitationController,
    MyInvitationController,
    MySupervisionController,
    OrganisationController,
    SupervisionController,
)
from cpl.organisations.service import active_roles, erase_member, memberships_data
from cpl.organisations.supervision import active_link
from cpl.organisations.vetting import is_vetted, vetted_now

__all__ = [
    "InvitationController",
    "InvitationPageController",
    "MyInvitationController",
    "MembershipEnded",
    "MySupervisionController",
    "OperatorOrganisationController",
    "OrganisationController",
    "SupervisionController",
    "SupervisionEnded",
    "active_link",
    "active_roles",
    "erase_invitations",
    "erase_member",
    "memberships_data",
    "is_vetted",
    "vetted_now",
]
