"""HTTP routes for operators: organisations with their vetting state, vetting and revoking.

Every route answers 403 to anyone who is not an operator now (see :mod:`cpl.organisations.vetting`).
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody, QueryParameter

from cpl import audit
from cpl.kernel.principal import AuthedRequest
from cpl.organisations import vetting
from cpl.organisations.schemas import OperatorOrganisationOut, VettingIn
from cpl.problems import problem_responses


class OperatorOrganisationController(Controller):
    path = "/v1/operator/organisations"
    tags = ["operators"]

    @get("", operation_id="listOrganisationsForOperator", responses=problem_responses(400, 401, 403, 422))
    async def list_all(
        self, request: AuthedRequest, vetted: Annotated[bool | None, QueryParameter()] = None
    ) -> list[OperatorOrganisationOut]:
        """Every organisation with whether it is vetted now and its vetting history; ``vetted`` filters."""
        return await vetting.list_for_operator(request.user.account_id, vetted)

    @get("/{organisation_id:uuid}", operation_id="getOrganisationVetting", responses=problem_responses(401, 403, 404))
    async def get_one(self, request: AuthedRequest, organisation_id: FromPath[UUID]) -> OperatorOrganisationOut:
        """An organisation with its whole vetting history (operators only)."""
        return await vetting.organisation_vetting(request.user.account_id, organisation_id)

    @post(
        "/{organisation_id:uuid}/vet",
        operation_id="vetOrganisation",
        status_code=200,
        responses=problem_responses(400, 401, 403, 404, 409, 413, 422),
    )
    async def vet(
        self, request: AuthedRequest, organisation_id: FromPath[UUID], data: JSONBody[VettingIn]
    ) -> OperatorOrganisationOut:
        """Record that the organisation was checked to be who it says it is, and on what evidence (``note``).
        Verifications made through it from now on are labelled as from a vetted organisation."""
        decided = await vetting.decide(request.user.account_id, organisation_id, vetting.VETTED, data.note)
        await audit.record(request, "organisation.vetted", object=f"organisation:{organisation_id}")
        return decided

    @post(
        "/{organisation_id:uuid}/unvet",
        operation_id="unvetOrganisation",
        status_code=200,
        responses=problem_responses(400, 401, 403, 404, 409, 413, 422),
    )
    async def unvet(
        self, request: AuthedRequest, organisation_id: FromPath[UUID], data: JSONBody[VettingIn]
    ) -> OperatorOrganisationOut:
        """Revoke the vetting, saying why (``note``). Verifications made before keep the state they were made
        in; those made from now on say "self-declared organisation"."""
        decided = await vetting.decide(request.user.account_id, organisation_id, vetting.REVOKED, data.note)
        await audit.record(request, "organisation.unvetted", object=f"organisation:{organisation_id}")
        return decided
