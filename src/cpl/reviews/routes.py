"""HTTP routes: submitting for review, the reviewer's steps, queues, history, the team view."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from cpl import audit
from cpl.errors import NotFound
from cpl.evidence.summary_cache import entry_cache
from cpl.kernel import clock
from cpl.kernel.principal import AuthedRequest
from cpl.organisations.service import my_organisation
from cpl.problems import problem_responses
from cpl.reviews import queries, service
from cpl.reviews.schemas import (
    ChangesIn,
    CommentIn,
    ReviewDetailOut,
    ReviewPage,
    SubmissionIn,
    TeamOut,
    VerificationIn,
    VerificationOut,
)
from cpl.reviews.team import TEAM_CACHE_KEY, team_view
from cpl.reviews.team_cache import progress_cache
from cpl.settings import Settings

State = Literal["submitted", "changes_requested", "verified", "withdrawn", "closed"]
Cursor = Annotated[str | None, QueryParameter(max_length=200)]
Limit = Annotated[int, QueryParameter(ge=1, le=200, description="Page size")]
STEP = problem_responses(400, 401, 403, 404, 409, 413, 422)


async def _organisation_name(request: AuthedRequest, organisation: UUID) -> str:
    try:
        return (await my_organisation(request.user.account_id, organisation)).name
    except NotFound:  # the caller has left it since
        return ""


async def _audited(
    request: AuthedRequest, action: str, review_id: UUID, *, only_by_reviewer: bool = False
) -> ReviewDetailOut:
    """The review as the caller sees it, with the step (or, by the reviewer, the reading) recorded in
    the audit log about the worker's record."""
    review = await queries.review_detail(request.user.account_id, review_id)
    by_reviewer = review.reviewer_id == request.user.account_id
    if by_reviewer or not only_by_reviewer:
        role = "reviewer" if by_reviewer else "worker"
        detail = {"organisation": await _organisation_name(request, review.organisation_id), "role": role}
        await audit.record(request, action, subject=review.worker_id, object=f"entry:{review.entry_id}", detail=detail)
    return review


class ReviewController(Controller):
    path = "/v1/reviews"
    tags = ["reviews"]

    @post(
        "",
        operation_id="submitForReview",
        status_code=201,
        responses=problem_responses(400, 401, 404, 409, 410, 413, 422),
    )
    async def submit(
        self, request: AuthedRequest, data: JSONBody[SubmissionIn], settings: NamedDependency[Settings]
    ) -> ReviewDetailOut:
        """Ask a supervisor of mine to review one of my entries that I share with them."""
        review_id = await service.submit(settings, request.user, data)
        return await _audited(request, "review.submitted", review_id)

    @get("", operation_id="listMyReviewQueue", responses=problem_responses(400, 401, 422))
    async def queue(
        self,
        request: AuthedRequest,
        review_state: Annotated[
            State | None, QueryParameter(name="state", description="Default: submitted (waiting for me)")
        ] = None,
        worker_id: Annotated[UUID | None, QueryParameter()] = None,
        organisation_id: Annotated[UUID | None, QueryParameter()] = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> ReviewPage:
        """Reviews assigned to me, oldest first."""
        return await queries.queue(request.user.account_id, review_state, worker_id, organisation_id, cursor, limit)

    @get("/submitted", operation_id="listMySubmissions", responses=problem_responses(400, 401, 422))
    async def submitted(
        self,
        request: AuthedRequest,
        review_state: Annotated[State | None, QueryParameter(name="state")] = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> ReviewPage:
        """My entries I submitted for review."""
        return await queries.submissions(request.user.account_id, review_state, cursor, limit)

    @get("/{review_id:uuid}", operation_id="getReview", responses=problem_responses(401, 403, 404))
    async def get_one(self, request: AuthedRequest, review_id: FromPath[UUID]) -> ReviewDetailOut:
        """A review and its whole history, verifications included (stale ones marked)."""
        return await _audited(request, "review.viewed", review_id, only_by_reviewer=True)

    @post("/{review_id:uuid}/comments", operation_id="commentOnReview", status_code=200, responses=STEP)
    async def comment(
        self,
        request: AuthedRequest,
        review_id: FromPath[UUID],
        data: JSONBody[CommentIn],
        settings: NamedDependency[Settings],
    ) -> ReviewDetailOut:
        """Comment on a review (the worker or the reviewing supervisor)."""
        await service.comment(settings, request.user, review_id, data.body)
        return await _audited(request, "review.commented", review_id)

    @post("/{review_id:uuid}/request-changes", operation_id="requestChanges", status_code=200, responses=STEP)
    async def request_changes(
        self,
        request: AuthedRequest,
        review_id: FromPath[UUID],
        data: JSONBody[ChangesIn],
        settings: NamedDependency[Settings],
    ) -> ReviewDetailOut:
        """Send the entry back to the worker, saying what to change."""
        await service.request_changes(settings, request.user, review_id, data.body)
        return await _audited(request, "review.changes_requested", review_id)

    @post("/{review_id:uuid}/verify", operation_id="verifyEntry", status_code=200, responses=STEP)
    async def verify(
        self,
        request: AuthedRequest,
        review_id: FromPath[UUID],
        data: JSONBody[VerificationIn],
        settings: NamedDependency[Settings],
    ) -> ReviewDetailOut:
        """Verify the entry as it now stands (bound to its content and files' hashes)."""
        await service.verify(settings, request.user, review_id, data)
        return await _audited(request, "review.verified", review_id)

    @post(
        "/{review_id:uuid}/resubmit",
        operation_id="resubmitForReview",
        status_code=200,
        responses=problem_responses(400, 401, 403, 404, 409, 410, 413, 422),
    )
    async def resubmit(
        self,
        request: AuthedRequest,
        review_id: FromPath[UUID],
        data: JSONBody[CommentIn],
        settings: NamedDependency[Settings],
    ) -> ReviewDetailOut:
        """Send the entry back for review after changing it."""
        await service.resubmit(settings, request.user, review_id, data.body)
        return await _audited(request, "review.resubmitted", review_id)

    @post(
        "/{review_id:uuid}/withdraw",
        operation_id="withdrawReview",
        status_code=200,
        responses=problem_responses(401, 403, 404, 409),
    )
    async def withdraw(
        self, request: AuthedRequest, review_id: FromPath[UUID], settings: NamedDependency[Settings]
    ) -> ReviewDetailOut:
        """Withdraw a review I asked for, before it is verified."""
        await service.withdraw(settings, request.user, review_id)
        return await _audited(request, "review.withdrawn", review_id)


class EntryVerificationController(Controller):
    path = "/v1/evidence/{entry_id:uuid}/verifications"
    tags = ["reviews"]

    @get("", operation_id="listEntryVerifications", responses=problem_responses(401, 404, 410))
    async def list_verifications(self, request: AuthedRequest, entry_id: FromPath[UUID]) -> list[VerificationOut]:
        """Every verification of my entry; stale ones (the entry changed since) are marked."""
        return await queries.entry_verifications(request.user.account_id, entry_id)


class TeamController(Controller):
    path = "/v1/team"
    tags = ["reviews"]

    @get("", operation_id="getMyTeam", responses=problem_responses(400, 401, 422))
    async def team(
        self,
        request: AuthedRequest,
        settings: NamedDependency[Settings],
        as_of: Annotated[
            date | None, QueryParameter(description="Progress as it stood on this day (default: today, UTC)")
        ] = None,
    ) -> TeamOut:
        """Each worker I supervise, with their progress counted over what they share with me."""
        entries = entry_cache(request.app.state, settings.team_cache_workers, TEAM_CACHE_KEY)
        lines = progress_cache(request.app.state, settings.team_cache_workers)
        team = await team_view(request.user.account_id, as_of or clock.now().date(), entries, lines)
        by_organisation: dict[UUID, list[UUID]] = {}
        for member in team.members:
            by_organisation.setdefault(member.organisation_id, []).append(member.worker_id)
        for organisation, workers in by_organisation.items():
            detail = {"organisation": await _organisation_name(request, organisation), "role": "supervisor"}
            await audit.record(request, "team.viewed", subjects=workers, object="team", detail=detail)
        return team
