"""Bodies of the sharing API: shares a worker makes, and what a viewer is shown."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from pydantic import Field, model_validator

from cpl.competences.schemas import CompetenceLinkOut
from cpl.evidence.schemas import EvidenceOut, IsoDate
from cpl.kernel.periods import range_in_order
from cpl.kernel.schemas import Out, RequestModel


class ShareFilter(RequestModel):
    """Every entry matching all the parts given (none given: every entry), now and in future."""

    #: Entries that took place from ``from`` to ``to`` (both included; either may be left open).
    starts_on: IsoDate | None = Field(default=None, alias="from")
    ends_on: IsoDate | None = Field(default=None, alias="to")
    #: A framework edition (``GET /v1/frameworks``): entries linked to one of its items.
    framework_id: UUID | None = None
    #: One of my registrations: entries ending within its cycle (``cycle_start`` to ``renewal_date``).
    registration_id: UUID | None = None

    @model_validator(mode="after")
    def _period_in_order(self) -> ShareFilter:
        range_in_order(self.starts_on, self.ends_on)
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
    starts_on: date | None = msgspec.field(name="from")
    ends_on: date | None = msgspec.field(name="to")
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
    """A file's details, and a short-lived link through which the viewer opens it."""

    id: UUID
    filename: str
    media_type: str
    size: int
    sha256: str
    created_at: datetime
    #: Where this viewer opens the file for the next few minutes (relative to the service's address):
    #: images, PDFs and audio shown inline, anything else downloaded. See ``cpl.sharing.file_links``.
    view_url: str


class SharedEntryOut(Out):
    """One shared entry, read-only, with its files' details and competence links."""

    worker_id: UUID
    entry: EvidenceOut
    #: The entry's content hash as shown: with its files' SHA-256s, what a verification is bound to.
    content_hash: str
    attachments: list[SharedAttachmentOut]
    competence_links: list[CompetenceLinkOut]
