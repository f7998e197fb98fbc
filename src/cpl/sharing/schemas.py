"""Bodies of the sharing API: shares a worker makes, and what a viewer is shown."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field, model_validator

from cpl.competences.schemas import CompetenceLinkOut
from cpl.evidence.schemas import EvidenceOut, IsoDate
from cpl.kernel.schemas import Out, RequestModel


class ShareFilter(RequestModel):
    """Every entry matching all the parts given (none given: every entry), now and in future."""

    occurred_from: IsoDate | None = None
    occurred_to: IsoDate | None = None
    #: A framework edition (``GET /v1/frameworks``): entries linked to one of its items.
    framework_id: UUID | None = None
    #: One of my registrations: entries ending within its cycle (``cycle_start`` to ``renewal_date``).
    registration_id: UUID | None = None

    @model_validator(mode="after")
    def _period_in_order(self) -> ShareFilter:
        if self.occurred_from and self.occurred_to and self.occurred_to < self.occurred_from:
            raise ValueError("occurred_to must not be before occurred_from")
        return self


class ShareIn(RequestModel):
    """Share with one supervisor of the organisation (``supervisor_id``) or with the
    organisation itself; either chosen entries (``entry_ids``) or a ``filter``."""

    organisation_id: UUID
    supervisor_id: UUID | None = None
    entry_ids: Annotated[list[UUID], Field(min_length=1, max_length=500)] | None = None
    filter: ShareFilter | None = None

    @model_validator(mode="after")
    def _one_scope(self) -> ShareIn:
        if (self.entry_ids is None) == (self.filter is None):
            raise ValueError("send either entry_ids or filter (one of the two)")
        return self


class ShareFilterOut(Out):
    occurred_from: date | None
    occurred_to: date | None
    framework_id: UUID | None
    registration_id: UUID | None


class ShareOut(Out):
    id: UUID
    organisation_id: UUID
    organisation_name: str
    supervisor_id: UUID | None
    scope: Literal["entries", "filter"]
    entry_ids: list[UUID] | None
    filter: ShareFilterOut | None
    created_at: datetime
    ended_at: datetime | None
    end_reason: str


class SharingWorkerOut(Out):
    """A worker who shares something with me."""

    worker_id: UUID
    display_name: str
    #: The organisations the shares came through.
    organisation_ids: list[UUID]
    shares: int


class SharedEvidencePage(Out):
    items: list[EvidenceOut]
    next_cursor: str | None


class SharedAttachmentOut(Out):
    """A file's details; the file itself stays downloadable by its owner only."""

    id: UUID
    filename: str
    media_type: str
    size: int
    sha256: str
    created_at: datetime


class SharedEntryOut(Out):
    """One shared entry, read-only, with its files' details and competence links."""

    worker_id: UUID
    entry: EvidenceOut
    attachments: list[SharedAttachmentOut]
    competence_links: list[CompetenceLinkOut]
