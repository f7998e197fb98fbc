"""Bodies of the xAPI, LRS-credential, consent and suggestion routes."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from cpl.kernel.fields import Line
from cpl.kernel.schemas import Out, RequestModel


class LrsCredentialIn(RequestModel):
    #: What the credential is for, in the admin's words ("Moodle", "the e-learning portal").
    label: Line(200, min_length=1)


class LrsCredentialOut(Out):
    id: UUID
    #: The HTTP Basic user name.
    key: str
    label: str
    created_at: datetime
    revoked_at: datetime | None


class NewLrsCredentialOut(LrsCredentialOut):
    #: The HTTP Basic password: shown here only, never again.
    secret: str
    #: The xAPI endpoint the learning system posts to (``…/xapi/``).
    endpoint: str


class ConsentOut(Out):
    organisation_id: UUID
    organisation_name: str
    given_at: datetime


class SuggestionOut(Out):
    id: UUID
    organisation_id: UUID
    #: The source: the organisation whose learning system or admin sent it.
    organisation_name: str
    title: str
    occurred_on: date
    ended_on: date | None
    duration_minutes: int
    activity_type: str
    description: str
    #: ``xapi`` (a statement) or ``csv`` (an admin's upload).
    source: str
    created_at: datetime


class TrainingUploadOut(Out):
    #: Rows that made a new suggestion.
    suggested: int
    #: Rows the organisation had suggested to that worker already (whatever the worker did with them).
    already_suggested: int


class StatementResultOut(Out):
    """An xAPI StatementResult (1.0.3 Part Two §2.5): ``statements`` and ``more``."""

    statements: list[dict]
    more: str
