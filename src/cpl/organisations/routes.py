"""HTTP routes: organisations, members, invitations and supervision links."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody

from cpl import audit
from cpl.kernel.events import EventBus
from cpl.kernel.principal import AuthedRequest
from cpl.organisations import invitations, roles, service, supervision
from cpl.organisations.guards import admins_use_second_factor
from cpl.organisations.schemas import (
    InvitationIn,
    InvitationOut,
    MemberOut,
    MemberRolesIn,
    MemberRolesOut,
    OrganisationIn,
    OrganisationOut,
    SupervisionLinkIn,
    SupervisionLinkOut,
)
from cpl.problems import problem_responses
from cpl.settings import Settings


class OrganisationController(Controller):
    path = "/v1/organisations"
    tags = ["organisations"]

    @post("", operation_id="createOrganisation", status_code=201, responses=problem_responses(400, 401, 413, 422))
    async def create(self, request: AuthedRequest, data: JSONBody[OrganisationIn]) -> OrganisationOut:
        """Create an employer or a regulator; I become its admin."""
        return await service.create_organisation(request.user.account_id, data)

    @get("", operation_id="listMyOrganisations", responses=problem_responses(401))
    async def list_mine(self, request: AuthedRequest) -> list[OrganisationOut]:
        """The organisations I belong to, with my roles in each."""
        return await service.my_organisations(request.user.account_id)

    @get("/{organisation_id:uuid}", operation_id="getOrganisation", responses=problem_responses(401, 404))
    async def get_one(self, request: AuthedRequest, organisation_id: FromPath[UUID]) -> OrganisationOut:
        """An organisation I belong to, with my role in it."""
        return await service.my_organisation(request.user.account_id, organisation_id)

    @post(
        "/{organisation_id:uuid}/leave",
        operation_id="leaveOrganisation",
        status_code=204,
        responses=problem_responses(401, 403, 404),
    )
    async def leave(
        self, request: AuthedRequest, organisation_id: FromPath[UUID], events: NamedDependency[EventBus]
    ) -> None:
        """Leave (every role). My record stays mine; my shares with it end."""
        await service.leave(events, request.user.account_id, organisation_id)

    @get(
        "/{organisation_id:uuid}/members",
        operation_id="listMembers",
        guards=[admins_use_second_factor],
        responses=problem_responses(401, 403, 404),
    )
    async def members(self, request: AuthedRequest, organisation_id: FromPath[UUID]) -> list[MemberOut]:
        """The organisation's members and their roles (its admins only)."""
        return await service.list_members(request.user.account_id, organisation_id)

    @delete(
        "/{organisation_id:uuid}/members/{account_id:uuid}",
        operation_id="removeMember",
        guards=[admins_use_second_factor],
        status_code=204,
        responses=problem_responses(401, 403, 404),
    )
    async def remove(
        self,
        request: AuthedRequest,
        organisation_id: FromPath[UUID],
        account_id: FromPath[UUID],
        events: NamedDependency[EventBus],
    ) -> None:
        """End someone's membership (every role), their supervision links and their shares here."""
        await service.remove_member(events, request.user.account_id, organisation_id, account_id)

    @put(
        "/{organisation_id:uuid}/members/{account_id:uuid}/roles",
        operation_id="setMemberRoles",
        guards=[admins_use_second_factor],
        responses=problem_responses(400, 401, 403, 404, 409, 413, 422),
    )
    async def set_roles(
        self,
        request: AuthedRequest,
        organisation_id: FromPath[UUID],
        account_id: FromPath[UUID],
        data: JSONBody[MemberRolesIn],
        events: NamedDependency[EventBus],
    ) -> MemberRolesOut:
        """Set a current member's roles (its admins only): the roles named are the ones they hold from now on,
        the others end. Taking the supervisor role away ends their supervision links here, and the worker role
        the links supervising them (the shares with those supervisors end, and the reviews left without a
        reviewer close). The organisation keeps an admin: taking the role from its last one is 409
        (`urn:cpl:problem:last-admin`). A change is recorded in the audit log (`member.roles_changed`)."""
        changed = await roles.set_roles(events, request.user.account_id, organisation_id, account_id, data)
        if changed.added or changed.removed:
            detail = {"added": ", ".join(changed.added), "removed": ", ".join(changed.removed)}
            await audit.record(
                request,
                "member.roles_changed",
                subject=account_id,
                object=f"organisation:{organisation_id}",
                detail=detail,
            )
        return changed


class InvitationController(Controller):
    path = "/v1/organisations/{organisation_id:uuid}/invitations"
    tags = ["organisations"]
    guards = [admins_use_second_factor]

    @post(
        "",
        operation_id="inviteMember",
        status_code=201,
        responses={
            200: ResponseSpec(InvitationOut, description="The address's open invitation to this role, mailed again"),
            **problem_responses(400, 401, 403, 404, 409, 413, 422),
        },
    )
    async def invite(
        self,
        request: AuthedRequest,
        organisation_id: FromPath[UUID],
        data: JSONBody[InvitationIn],
        settings: NamedDependency[Settings],
    ) -> Response[InvitationOut]:
        """Invite an e-mail address to a role and mail it the link to accept (201). Inviting an address again
        to the role it already has an open invitation to answers 200 with that invitation and mails a fresh
        link; to another role, 409. Only an admin whose own address is verified invites."""
        invitation, created = await invitations.invite(settings, request.user.account_id, organisation_id, data)
        return Response(invitation, status_code=201 if created else 200)

    @get("", operation_id="listInvitations", responses=problem_responses(401, 403, 404))
    async def list_sent(self, request: AuthedRequest, organisation_id: FromPath[UUID]) -> list[InvitationOut]:
        """The invitations the organisation has sent (its admins only)."""
        return await invitations.organisation_invitations(request.user.account_id, organisation_id)


class MyInvitationController(Controller):
    path = "/v1/invitations"
    tags = ["organisations"]

    @get("", operation_id="listMyInvitations", responses=problem_responses(401, 403))
    async def mine(self, request: AuthedRequest) -> list[InvitationOut]:
        """Invitations to my e-mail address waiting for an answer (403 until my address is verified)."""
        return await invitations.my_invitations(request.user)

    @post(
        "/{invitation_id:uuid}/accept",
        operation_id="acceptInvitation",
        status_code=200,
        responses=problem_responses(401, 403, 404, 409),
    )
    async def accept(self, request: AuthedRequest, invitation_id: FromPath[UUID]) -> InvitationOut:
        """Accept an invitation sent to me: I join the organisation in the role it names."""
        return await invitations.accept(request.user, invitation_id)

    @post(
        "/{invitation_id:uuid}/decline",
        operation_id="declineInvitation",
        status_code=204,
        responses=problem_responses(401, 403, 404, 409),
    )
    async def decline(self, request: AuthedRequest, invitation_id: FromPath[UUID]) -> None:
        """Decline an invitation sent to me."""
        await invitations.decline(request.user, invitation_id)


class SupervisionController(Controller):
    path = "/v1/organisations/{organisation_id:uuid}/supervision-links"
    tags = ["organisations"]
    guards = [admins_use_second_factor]

    @post(
        "",
        operation_id="linkSupervision",
        status_code=201,
        responses=problem_responses(400, 401, 403, 404, 409, 413, 422),
    )
    async def link(
        self, request: AuthedRequest, organisation_id: FromPath[UUID], data: JSONBody[SupervisionLinkIn]
    ) -> SupervisionLinkOut:
        """Make a current supervisor the supervisor of a current worker."""
        return await supervision.link(request.user.account_id, organisation_id, data)

    @get("", operation_id="listSupervisionLinks", responses=problem_responses(401, 403, 404))
    async def list_links(self, request: AuthedRequest, organisation_id: FromPath[UUID]) -> list[SupervisionLinkOut]:
        """Which supervisor supervises which worker in the organisation."""
        return await supervision.organisation_links(request.user.account_id, organisation_id)

    @delete(
        "/{link_id:uuid}", operation_id="endSupervision", status_code=204, responses=problem_responses(401, 403, 404)
    )
    async def end(
        self,
        request: AuthedRequest,
        organisation_id: FromPath[UUID],
        link_id: FromPath[UUID],
        events: NamedDependency[EventBus],
    ) -> None:
        """End a link; the worker's shares with that supervisor stop granting anything."""
        await supervision.end_link(events, request.user.account_id, organisation_id, link_id)


class MySupervisionController(Controller):
    path = "/v1/me/supervision"
    tags = ["organisations"]

    @get("", operation_id="listMySupervision", responses=problem_responses(401))
    async def mine(self, request: AuthedRequest) -> list[SupervisionLinkOut]:
        """My current supervision links: my supervisors, and the workers I supervise."""
        return await supervision.my_links(request.user.account_id)
