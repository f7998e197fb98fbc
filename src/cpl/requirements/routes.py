"""HTTP routes: requirement packs, my registrations, gap explanations, peer discussions,
my progress and the audit profile of a registration."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, delete, get, put
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody, QueryParameter

from cpl.errors import invalid_field
from cpl.evidence.summary_cache import entry_cache
from cpl.kernel import clock
from cpl.kernel.events import EventBus
from cpl.kernel.principal import AuthedRequest
from cpl.problems import problem_responses
from cpl.requirements import peers, service
from cpl.requirements.audit_schemas import AuditProfileOut
from cpl.requirements.library import shipped_library
from cpl.requirements.profiles import audit_profile
from cpl.requirements.progress import my_progress, pack_out
from cpl.requirements.schemas import (
    GapExplanationIn,
    GapExplanationOut,
    PackOut,
    PeerDiscussionIn,
    PeerDiscussionOut,
    ProgressOut,
    RegistrationIn,
    RegistrationOut,
)
from cpl.requirements.sign_offs import SignOffs
from cpl.settings import Settings

AsOf = Annotated[date | None, QueryParameter(description="Progress as it stood on this day (default: today, UTC)")]
EARLIEST_AS_OF, LATEST_AS_OF = date(1950, 1, 1), date(2200, 12, 31)


def as_of_day(value: date | None) -> date:
    day = value or clock.now().date()
    if not EARLIEST_AS_OF <= day <= LATEST_AS_OF:
        message = f"must be between {EARLIEST_AS_OF} and {LATEST_AS_OF}"
        raise invalid_field("as_of", message)
    return day


def _created_or_replaced(created: bool) -> int:
    return 201 if created else 200


class RequirementPackController(Controller):
    path = "/v1/requirement-packs"
    tags = ["requirements"]

    @get("", operation_id="listRequirementPacks", responses=problem_responses(401))
    async def list_packs(self) -> list[PackOut]:
        """Every edition of every register's rules, with the parts a registration may name."""
        library = shipped_library()
        return [pack_out(pack) for register in sorted(library.editions) for pack in library.editions[register]]


class RegistrationController(Controller):
    path = "/v1/me/registrations"
    tags = ["requirements"]

    @get("", operation_id="listMyRegistrations", responses=problem_responses(401))
    async def list_registrations(self, request: AuthedRequest) -> list[RegistrationOut]:
        """The registers I am on, each with its cycle and requirement pack."""
        rows = await service.list_registrations(request.user.account_id)
        return [service.registration_out(row) for row in rows]

    @get("/{registration_id:uuid}", operation_id="getMyRegistration", responses=problem_responses(401, 404))
    async def get_registration(self, request: AuthedRequest, registration_id: FromPath[UUID]) -> RegistrationOut:
        """One of my registrations."""
        return service.registration_out(await service.owned_registration(request.user.account_id, registration_id))

    @put(
        "/{registration_id:uuid}",
        operation_id="putMyRegistration",
        responses={
            201: ResponseSpec(
                generate_examples=False, data_container=RegistrationOut, description="Created with the client's id"
            ),
            **problem_responses(400, 401, 404, 413, 422),
        },
    )
    async def put_registration(
        self,
        request: AuthedRequest,
        registration_id: FromPath[UUID],
        data: JSONBody[RegistrationIn],
        events: NamedDependency[EventBus],
    ) -> Response[RegistrationOut]:
        """Record a register I am on (or replace it): register, number, part, cycle dates."""
        created, row = await service.put_registration(request.user.account_id, registration_id, data, events)
        return Response(service.registration_out(row), status_code=_created_or_replaced(created))

    @delete(
        "/{registration_id:uuid}",
        operation_id="deleteMyRegistration",
        status_code=204,
        responses=problem_responses(401, 404),
    )
    async def delete_registration(
        self, request: AuthedRequest, registration_id: FromPath[UUID], events: NamedDependency[EventBus]
    ) -> None:
        """Forget a registration and its gap explanations; my evidence stays."""
        await service.delete_registration(events, request.user.account_id, registration_id)

    @get(
        "/{registration_id:uuid}/audit-profile",
        operation_id="getMyAuditProfile",
        responses=problem_responses(400, 401, 404, 422),
    )
    async def get_audit_profile(
        self,
        request: AuthedRequest,
        registration_id: FromPath[UUID],
        sign_offs: NamedDependency[SignOffs],
        as_of: AsOf = None,
    ) -> AuditProfileOut:
        """What the regulator would ask for if I were audited today, assembled from my record; each
        entry's sign-offs say whether the verifying organisation was vetted or is self-declared."""
        return await audit_profile(request.user.account_id, registration_id, as_of_day(as_of), sign_offs)


class GapExplanationController(Controller):
    path = "/v1/me/registrations/{registration_id:uuid}/gap-explanations"
    tags = ["requirements"]

    @get("", operation_id="listGapExplanations", responses=problem_responses(401, 404))
    async def list_explanations(
        self, request: AuthedRequest, registration_id: FromPath[UUID]
    ) -> list[GapExplanationOut]:
        """My explanations of gaps in my record for this registration, earliest first."""
        return await service.list_explanations(request.user.account_id, registration_id)

    @put(
        "/{explanation_id:uuid}",
        operation_id="putGapExplanation",
        responses={
            201: ResponseSpec(
                generate_examples=False, data_container=GapExplanationOut, description="Created with the client's id"
            ),
            **problem_responses(400, 401, 404, 413, 422),
        },
    )
    async def put_explanation(
        self,
        request: AuthedRequest,
        registration_id: FromPath[UUID],
        explanation_id: FromPath[UUID],
        data: JSONBody[GapExplanationIn],
    ) -> Response[GapExplanationOut]:
        """Explain why my record has no learning between two dates (leave, illness, a break)."""
        created, out = await service.put_explanation(request.user.account_id, registration_id, explanation_id, data)
        return Response(out, status_code=_created_or_replaced(created))

    @delete(
        "/{explanation_id:uuid}",
        operation_id="deleteGapExplanation",
        status_code=204,
        responses=problem_responses(401, 404),
    )
    async def delete_explanation(
        self, request: AuthedRequest, registration_id: FromPath[UUID], explanation_id: FromPath[UUID]
    ) -> None:
        """Delete one explanation of a gap in my record."""
        await service.delete_explanation(request.user.account_id, registration_id, explanation_id)


class ProgressController(Controller):
    path = "/v1/me/progress"
    tags = ["requirements"]

    @get("", operation_id="getMyProgress", responses=problem_responses(400, 401, 422))
    async def my_progress(
        self, request: AuthedRequest, settings: NamedDependency[Settings], as_of: AsOf = None
    ) -> ProgressOut:
        """For each of my registrations and each rule: required, achieved, remaining, due date,
        status, and the entries and minutes behind the figures."""
        cache = entry_cache(request.app.state, settings.progress_cache_workers)
        return await my_progress(request.user.account_id, as_of_day(as_of), cache)


class PeerDiscussionController(Controller):
    path = "/v1/evidence/{entry_id:uuid}/peer-discussion"
    tags = ["requirements"]

    @get("", operation_id="getPeerDiscussion", responses=problem_responses(401, 404, 410))
    async def get_discussion(self, request: AuthedRequest, entry_id: FromPath[UUID]) -> PeerDiscussionOut:
        """Who I discussed this entry with (NMC reflective discussion, Social Work England peer reflection)."""
        return await peers.get_peer_discussion(request.user.account_id, entry_id)

    @put(
        "",
        operation_id="putPeerDiscussion",
        responses={
            201: ResponseSpec(generate_examples=False, data_container=PeerDiscussionOut, description="Recorded"),
            **problem_responses(400, 401, 404, 409, 410, 413, 422),
        },
    )
    async def put_discussion(
        self,
        request: AuthedRequest,
        entry_id: FromPath[UUID],
        data: JSONBody[PeerDiscussionIn],
        events: NamedDependency[EventBus],
    ) -> Response[PeerDiscussionOut]:
        """Record who I discussed this entry with (NMC: their name and PIN) and what I learnt."""
        created, out = await peers.put_peer_discussion(request.user.account_id, entry_id, data, events)
        return Response(out, status_code=_created_or_replaced(created))

    @delete("", operation_id="deletePeerDiscussion", status_code=204, responses=problem_responses(401, 404, 410))
    async def delete_discussion(
        self, request: AuthedRequest, entry_id: FromPath[UUID], events: NamedDependency[EventBus]
    ) -> None:
        """Delete the record of whom I discussed this entry with."""
        await peers.delete_peer_discussion(events, request.user.account_id, entry_id)
