"""Bodies of the reviews API: submissions, steps, verifications, the queue and the team view."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from cpl.kernel.fields import Line, Paragraphs
from cpl.kernel.schemas import Out, RequestModel
from cpl.requirements.schemas import Status

Text = Paragraphs(5_000)


class SubmissionIn(RequestModel):
    """Ask a supervisor of mine to review one of my entries (already shared with them)."""

    entry_id: UUID
    reviewer_id: UUID
    organisation_id: UUID
    note: Text = ""


class CommentIn(RequestModel):
    body: Paragraphs(5_000)


class ChangesIn(RequestModel):
    #: What the worker should change.
    body: Paragraphs(5_000)


class VerificationIn(RequestModel):
    """The verifier's statement, and who they are professionally."""

    statement: Line(2_000, min_length=1)
    #: Their professional role (e.g. "Registered nurse, ward manager"); empty: their role here.
    role: Line(200) = ""
    #: NMC PIN, SSSC number…, where they have one.
    registration_number: Line(64) = ""


class VerificationOut(Out):
    id: UUID
    entry_id: UUID
    review_id: UUID
    verifier_id: UUID | None
    verifier_name: str
    verifier_role: str
    verifier_registration_number: str
    organisation_id: UUID | None
    organisation_name: str
    statement: str
    verified_at: datetime
    content_hash: str
    #: The entry or its files changed since: kept in the history, no longer counted.
    stale: bool


class ReviewEventOut(Out):
    id: UUID
    actor_id: UUID | None
    actor_name: str
    action: str
    body: str
    created_at: datetime


class ReviewOut(Out):
    id: UUID
    entry_id: UUID
    entry_title: str
    worker_id: UUID
    worker_name: str
    reviewer_id: UUID
    reviewer_name: str
    organisation_id: UUID
    state: str
    submitted_at: datetime
    updated_at: datetime


class ReviewDetailOut(ReviewOut):
    history: list[ReviewEventOut]
    verifications: list[VerificationOut]


class ReviewPage(Out):
    items: list[ReviewOut]
    next_cursor: str | None


class RegistrationStatus(Out):
    registration_id: UUID
    register: str
    part: str
    cycle_start: date
    renewal_date: date
    status: Status
    #: Rule id → its status, over the shared entries only.
    rules: dict[str, Status]


class TeamMemberOut(Out):
    worker_id: UUID
    display_name: str
    organisation_id: UUID
    #: Entries the worker shares with me (now).
    shared_entries: int
    open_reviews: int
    registrations: list[RegistrationStatus]


class TeamOut(Out):
    as_of: date
    members: list[TeamMemberOut]
