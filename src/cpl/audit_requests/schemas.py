"""Bodies of the audit requests API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from pydantic import Field, model_validator

from cpl.accounts.schemas import Email
from cpl.evidence.schemas import IsoDate
from cpl.exports.schemas import PeriodOut
from cpl.kernel.fields import Line, Paragraphs
from cpl.kernel.periods import range_in_order
from cpl.kernel.schemas import Out, RequestModel

State = Literal[
    "requested", "responded", "accepted", "more_information_needed", "not_accepted", "declined", "withdrawn"
]
Outcome = Literal["accepted", "more_information_needed", "not_accepted"]


class AuditPeriodIn(RequestModel):
    """The period audited: both days included."""

    starts_on: IsoDate = Field(alias="from")
    ends_on: IsoDate = Field(alias="to")

    @model_validator(mode="after")
    def _in_order(self) -> AuditPeriodIn:
        range_in_order(self.starts_on, self.ends_on)
        return self


class AuditRequestIn(RequestModel):
    organisation_id: UUID = Field(description="The regulator the caller audits for")
    email: Email = Field(description="The worker's address; they need not have an account yet")
    #: ``register_key`` because pydantic models inherit a ``register`` method (as in requirements' schemas).
    register_key: Line(48, min_length=1) = Field(
        alias="register", description="A requirement pack's register: nmc, hcpc, swe, sssc, coru"
    )
    period: AuditPeriodIn
    deadline: IsoDate = Field(description="The last day to answer (today or later)")
    message: Paragraphs(5000) = ""


class AuditAnswerIn(RequestModel):
    export_id: UUID = Field(description="One of my finished exports, made for this request")
    note: Paragraphs(5000) = ""


class AuditDeclineIn(RequestModel):
    reason: Paragraphs(5000) = Field(min_length=1, description="Why, in the worker's words (the auditor reads it)")


class AuditOutcomeIn(RequestModel):
    outcome: Outcome
    note: Paragraphs(5000) = Field(default="", description="Required for more_information_needed: what is missing")


class AuditResponseOut(Out):
    """What the auditor opens: the share link made for them, with its passcode (cpl keeps neither;
    both are derived from the service's secret key when shown)."""

    export_id: UUID
    format: str
    share_url: str
    passcode: str
    expires_at: datetime | None
    #: When the worker withdrew the link or the export (it opens nothing since).
    withdrawn_at: datetime | None
    #: SHA-256 of the exported file and where anyone checks it.
    sha256: str
    verify_url: str


class AuditRequestOut(Out):
    id: UUID
    organisation_id: UUID
    organisation_name: str
    #: "vetted organisation" or "self-declared organisation" (no operator vetted it).
    organisation_standing: str
    auditor_name: str
    worker_email: str
    register: str
    period: PeriodOut
    deadline: date
    message: str
    state: State
    #: The deadline has passed and the request waits for the worker's answer.
    overdue: bool
    export_id: UUID | None
    responded_at: datetime | None
    #: The worker's note with their answer, or their reason for declining.
    worker_note: str
    decided_at: datetime | None
    outcome_note: str
    created_at: datetime
    updated_at: datetime
    #: Only in the auditor's view, once answered.
    response: AuditResponseOut | None = None
