"""HTTP routes: audit requests, as the auditor and as the worker asked."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from cpl.audit_requests import answers, mapping, service
from cpl.audit_requests.schemas import (
    AuditAnswerIn,
    AuditDeclineIn,
    AuditOutcomeIn,
    AuditRequestIn,
    AuditRequestOut,
    State,
)
from cpl.kernel.principal import AuthedRequest
from cpl.problems import problem_responses
from cpl.settings import Settings

StateQuery = Annotated[State | None, QueryParameter(name="state", description="Only requests in this state")]
STEP = problem_responses(400, 401, 403, 404, 409, 413, 422)


async def _auditor_view(settings: Settings, auditor: UUID, request_id: UUID) -> AuditRequestOut:
    return await mapping.auditor_out(settings, await service.auditor_request(auditor, request_id))


async def _worker_view(worker: UUID, request_id: UUID) -> AuditRequestOut:
    (out,) = await mapping.requests_out([await answers.my_request(worker, request_id)])
    return out


class AuditRequestController(Controller):
    """The auditor's side: requests of the regulators the caller audits for."""

    path = "/v1/audit-requests"
    tags = ["audit requests"]

    @post("", operation_id="createAuditRequest", status_code=201, responses=STEP)
    async def create(
        self, request: AuthedRequest, data: JSONBody[AuditRequestIn], settings: NamedDependency[Settings]
    ) -> AuditRequestOut:
        """Ask a worker for their record.

        Ask the worker at this address for their record on a register for a period, by a deadline.
        They are told in the app and by e-mail (invited to sign up when no account has confirmed the
        address)."""
        request_id = await service.create_request(settings, request.user, data)
        return await _auditor_view(settings, request.user.account_id, request_id)

    @get("", operation_id="listAuditRequests", responses=problem_responses(400, 401, 422))
    async def list_requests(self, request: AuthedRequest, request_state: StateQuery = None) -> list[AuditRequestOut]:
        """Audit requests of my regulators.

        Every request of every regulator I audit for, newest first; ``overdue`` marks those past their
        deadline still waiting for the worker."""
        return await mapping.requests_out(await service.auditor_requests(request.user.account_id, request_state))

    @get("/{audit_request_id:uuid}", operation_id="getAuditRequest", responses=problem_responses(401, 404))
    async def get_one(
        self, request: AuthedRequest, audit_request_id: FromPath[UUID], settings: NamedDependency[Settings]
    ) -> AuditRequestOut:
        """One audit request, with the answer to open.

        Once answered, ``response`` holds the share link made for the auditors, its passcode, and the
        export's digest and verification page."""
        return await _auditor_view(settings, request.user.account_id, audit_request_id)

    @post("/{audit_request_id:uuid}/outcome", operation_id="recordAuditOutcome", status_code=200, responses=STEP)
    async def outcome(
        self,
        request: AuthedRequest,
        audit_request_id: FromPath[UUID],
        data: JSONBody[AuditOutcomeIn],
        settings: NamedDependency[Settings],
    ) -> AuditRequestOut:
        """Record the outcome of an answered request.

        Accepted, more information needed (the note says what; the worker may answer again) or not
        accepted; the worker is told."""
        await service.record_outcome(settings, request.user, audit_request_id, data)
        return await _auditor_view(settings, request.user.account_id, audit_request_id)

    @post("/{audit_request_id:uuid}/withdraw", operation_id="withdrawAuditRequest", status_code=200, responses=STEP)
    async def withdraw(
        self, request: AuthedRequest, audit_request_id: FromPath[UUID], settings: NamedDependency[Settings]
    ) -> AuditRequestOut:
        """Withdraw a request still waiting for the worker.

        The worker is told; a request already answered or closed cannot be withdrawn (409)."""
        await service.withdraw(settings, request.user, audit_request_id)
        return await _auditor_view(settings, request.user.account_id, audit_request_id)


class MyAuditRequestController(Controller):
    """The worker's side: requests addressed to my confirmed address, or answered by me."""

    path = "/v1/me/audit-requests"
    tags = ["audit requests"]

    @get("", operation_id="listMyAuditRequests", responses=problem_responses(400, 401, 422))
    async def list_mine(self, request: AuthedRequest, request_state: StateQuery = None) -> list[AuditRequestOut]:
        """Audit requests made of me.

        Requests addressed to my confirmed address, or that I answered or declined, newest first;
        ``overdue`` marks those past their deadline still waiting for me."""
        return await mapping.requests_out(await answers.my_requests(request.user.account_id, request_state))

    @get("/{audit_request_id:uuid}", operation_id="getMyAuditRequest", responses=problem_responses(401, 404))
    async def get_mine(self, request: AuthedRequest, audit_request_id: FromPath[UUID]) -> AuditRequestOut:
        """One audit request made of me.

        What is asked (register, period, deadline, message), my answer and the auditor's outcome."""
        return await _worker_view(request.user.account_id, audit_request_id)

    @post("/{audit_request_id:uuid}/answer", operation_id="answerAuditRequest", status_code=200, responses=STEP)
    async def answer(
        self,
        request: AuthedRequest,
        audit_request_id: FromPath[UUID],
        data: JSONBody[AuditAnswerIn],
        settings: NamedDependency[Settings],
    ) -> AuditRequestOut:
        """Answer with one of my finished exports.

        cpl makes a share link to the export for the requesting regulator's auditors, with a passcode
        shown to them in cpl; the auditor who asked is told."""
        await answers.answer(settings, request.user, audit_request_id, data)
        return await _worker_view(request.user.account_id, audit_request_id)

    @post("/{audit_request_id:uuid}/decline", operation_id="declineAuditRequest", status_code=200, responses=STEP)
    async def decline(
        self,
        request: AuthedRequest,
        audit_request_id: FromPath[UUID],
        data: JSONBody[AuditDeclineIn],
        settings: NamedDependency[Settings],
    ) -> AuditRequestOut:
        """Decline a request, saying why.

        For a request that is not mine to answer, or from an organisation I do not recognise; the
        auditor who asked reads the reason."""
        await answers.decline(settings, request.user, audit_request_id, data.reason)
        return await _worker_view(request.user.account_id, audit_request_id)
