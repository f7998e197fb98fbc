"""Bodies of the reviews API: submissions, steps, verifications, the queue and the team view."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import Field

from cpl.kernel.fields import Line, Paragraphs
from cpl.kernel.registers import Register
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


Sha256Hex = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class SeenIn(RequestModel):
    """What the verifier was shown (from the shared entry): the entry's content hash and its files' SHA-256s."""

    entry: Sha256Hex
    attachments: Annotated[list[Sha256Hex], Field(max_length=1_000)] = []


class VerificationIn(RequestModel):
    """The verifier's statement, and who they are professionally."""

    statement: Line(2_000, min_length=1)
    #: Their professional role (e.g. "Registered nurse, ward manager"); empty: their role here.
    role: Line(200) = ""
    registration_number: Annotated[
        Line(64),
        Field(
            description=(
                "NMC PIN, HCPC, Social Work England or SSSC number, where they have one. Surrounding white space is "
                "removed and "
                "letters are upper-cased before it is checked against the register's published format (422 if it "
                "does not fit); it is never checked with the register itself."
            )
        ),
    ] = ""
    #: The register the number is on; omitted, it is the one register whose format the number fits.
    #: ``other``: a register whose format cpl does not know (the number is taken as given). Named
    #: ``register_key`` here for the reason :class:`cpl.requirements.schemas.RegistrationIn` gives.
    register_key: Register | None = Field(default=None, alias="register")
    #: What the verifier saw: given, the verification is made only if the entry and its files are
    #: exactly that now (409 otherwise), so it is bound to what they read. The app always sends it.
    seen: SeenIn | None = None


class VerificationOut(Out):
    id: UUID
    entry_id: UUID
    review_id: UUID
    verifier_id: UUID | None
    verifier_name: str
    verifier_role: str
    verifier_registration_number: str
    #: ``nmc``, ``hcpc``, ``swe``, ``sssc``, ``other``, or "" without a number.
    verifier_register: str
    #: How the number is shown: "NMC 12A3456E (as given, not checked with the register)"; "" without one.
    registration_shown_as: str
    organisation_id: UUID | None
    organisation_name: str
    #: Whether an operator had vetted the organisation when this verification was made (fixed then).
    organisation_vetted: bool
    #: "vetted organisation" or "self-declared organisation", as of the verification.
    organisation_standing: str
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
    #: Whether an operator has vetted the organisation now; its verifications carry the state when made.
    organisation_vetted: bool
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
    #: Whether an operator has vetted that organisation now.
    organisation_vetted: bool
    #: "vetted organisation" or "self-declared organisation" (now).
    organisation_standing: str
    #: Entries the worker shares with me (now).
    shared_entries: int
    open_reviews: int
    registrations: list[RegistrationStatus]


class TeamOut(Out):
    as_of: date
    members: list[TeamMemberOut]
