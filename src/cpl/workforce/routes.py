"""HTTP routes: an organisation's workforce view, as pages of JSON and as one CSV file."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from litestar import Controller, get
from litestar.params import FromPath, QueryParameter
from litestar.response import Stream

from cpl import audit
from cpl.attachments.filenames import content_disposition
from cpl.kernel import clock
from cpl.kernel.principal import AuthedRequest
from cpl.kernel.schemas import ANSWER_MEDIA_TYPES
from cpl.organisations.guards import admins_use_second_factor
from cpl.organisations.service import my_organisation
from cpl.problems import problem_responses
from cpl.workforce.schemas import WorkforcePage, WorkforceStatus
from cpl.workforce.service import Filters, all_workers, judged_selection, workforce_page
from cpl.workforce.spreadsheet import csv_chunks
from cpl.workforce.store import worker_ids

Team = Annotated[UUID | None, QueryParameter(description="A supervisor's id: the workers they supervise here")]
Register = Annotated[str | None, QueryParameter(max_length=48, description="A register: nmc, hcpc, swe, sssc, coru")]
StatusFilter = Annotated[WorkforceStatus | None, QueryParameter(name="status")]
DueWithin = Annotated[
    int | None, QueryParameter(ge=0, le=3660, description="Registrations due within this many days (or overdue)")
]
AsOf = Annotated[date | None, QueryParameter(description="The day statuses are judged on (default: today)")]
Cursor = Annotated[str | None, QueryParameter(max_length=400)]
Limit = Annotated[int, QueryParameter(ge=1, le=200, description="Page size")]
CSV_HEADERS = {"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"}


class WorkforceController(Controller):
    path = "/v1/organisations/{organisation_id:uuid}"
    tags = ["organisations"]
    guards = [admins_use_second_factor]

    @get("/workforce", operation_id="getWorkforce", responses=problem_responses(400, 401, 403, 404, 422))
    async def page(
        self,
        request: AuthedRequest,
        organisation_id: FromPath[UUID],
        team: Team = None,
        register: Register = None,
        workforce_status: StatusFilter = None,
        due_within: DueWithin = None,
        as_of: AsOf = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> WorkforcePage:
        """The workforce: every worker sharing with the organisation, and where they stand.

        For each worker with a share in force with the organisation itself: each registration's due
        date, status and rules' statuses, mandatory learning done or missing, and the day of their
        latest shared entry — all counted over only what they share with the organisation. Filters
        by team (a supervisor), register, status and due date; ``counts`` and ``total`` cover the
        whole filtered set. The organisation's admins only, from a session opened with their second
        factor."""
        filters = Filters(team, register, workforce_status, due_within)
        day = as_of or clock.now().date()
        page = await workforce_page(request.user.account_id, organisation_id, filters, day, (cursor, limit))
        await _record_view(request, organisation_id, [item.worker_id for item in page.items])
        return page

    @get(
        "/workforce.csv",
        operation_id="downloadWorkforceCsv",
        opt={ANSWER_MEDIA_TYPES: ("text/csv",)},
        responses=problem_responses(400, 401, 403, 404, 422),
    )
    async def spreadsheet(
        self,
        request: AuthedRequest,
        organisation_id: FromPath[UUID],
        team: Team = None,
        register: Register = None,
        workforce_status: StatusFilter = None,
        due_within: DueWithin = None,
        as_of: AsOf = None,
    ) -> Stream:
        """The whole filtered workforce as one CSV file.

        One line per registration (a worker without one: one line), with the same filters and the
        same rules as ``getWorkforce``; streamed, so it starts at once however large the workforce.
        Cells a spreadsheet would read as formulas start with a quote."""
        filters = Filters(team, register, workforce_status, due_within)
        day = as_of or clock.now().date()
        selection = await judged_selection(request.user.account_id, organisation_id, filters, day)
        await _record_view(request, organisation_id, await worker_ids(organisation_id, selection))
        headers = {**CSV_HEADERS, "Content-Disposition": content_disposition(f"workforce-{day.isoformat()}.csv")}
        return Stream(csv_chunks(all_workers(organisation_id, selection)), media_type="text/csv", headers=headers)


async def _record_view(request: AuthedRequest, organisation_id: UUID, workers: list[UUID]) -> None:
    """An admin looking at the workforce reads each shown worker's record: one audit event per
    worker, in their access log (as the supervisor's team view)."""
    if workers:
        organisation = await my_organisation(request.user.account_id, organisation_id)
        detail = {"organisation": organisation.name, "role": "admin"}
        await audit.record(request, "workforce.viewed", subjects=workers, object="workforce", detail=detail)
