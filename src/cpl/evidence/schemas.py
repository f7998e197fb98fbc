"""Evidence entry bodies: what a worker sends, and what the service returns."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, model_validator

from cpl.kernel import clock
from cpl.kernel.fields import JsonBool, JsonInt, Line, Paragraphs
from cpl.kernel.schemas import RequestModel

#: Built-in kinds, from the evidence regulators ask for (../shared/DOMAIN.md: NMC
#: revalidation's feedback, reflective accounts, discussion and practice hours; SSSC and
#: HCPC learning activities). Deployments extend the list with ``x-`` prefixed kinds.
BUILT_IN_KINDS = frozenset(
    {"learning_activity", "reflective_account", "feedback", "practice_hours", "reflective_discussion"}
)
_EXTENSION_KIND = re.compile(r"^x-[a-z0-9][a-z0-9_-]{0,45}$")

#: A single entry may cover at most 1,000 hours (a block of practice hours); more is a typo.
MAX_DURATION_MINUTES = 60_000
EARLIEST_DATE = date(1950, 1, 1)


class ActivityType(StrEnum):
    course = "course"
    e_learning = "e_learning"
    reading = "reading"
    shadowing = "shadowing"
    supervision = "supervision"
    conference = "conference"
    peer_learning = "peer_learning"
    research = "research"
    teaching_others = "teaching_others"
    other = "other"


def _known_kind(value: str) -> str:
    if value not in BUILT_IN_KINDS and not _EXTENSION_KIND.match(value):
        known = ", ".join(sorted(BUILT_IN_KINDS))
        raise ValueError(f"unknown kind; use one of {known}, or an extension kind starting 'x-'")
    return value


def _iso_date_text(value: object) -> object:
    """Dates travel as ``YYYY-MM-DD`` text only: no timestamps, no numbers."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value, re.ASCII):
        raise ValueError("must be a date written YYYY-MM-DD")
    return value


def _distinct(tags: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for tag in tags:
        seen.setdefault(tag.casefold(), tag)
    return list(seen.values())


Kind = Annotated[Line(48, min_length=1), AfterValidator(_known_kind)]
IsoDate = Annotated[date, BeforeValidator(_iso_date_text)]
Title = Line(200, min_length=1)
Tag = Line(50, min_length=1)
LongText = Paragraphs(20_000)


class Reflection(RequestModel):
    """A structured reflection (the NMC and SSSC reflective-account prompts)."""

    what_happened: LongText = ""
    what_i_learned: LongText = ""
    how_it_changes_practice: LongText = ""


class EvidenceContent(RequestModel):
    """Everything about an entry that the worker writes."""

    kind: Kind
    title: Title
    occurred_on: IsoDate
    ended_on: IsoDate | None = None
    duration_minutes: Annotated[JsonInt, Field(ge=0, le=MAX_DURATION_MINUTES)] = 0
    participatory: JsonBool = False
    activity_type: ActivityType = ActivityType.other
    description: LongText = ""
    reflection: Reflection = Field(default_factory=Reflection)
    tags: Annotated[list[Tag], Field(max_length=30), AfterValidator(_distinct)] = Field(default_factory=list)

    @model_validator(mode="after")
    def _dates_and_duration_fit(self) -> EvidenceContent:
        """Dates lie between 1950 and tomorrow (UTC, for workers ahead of it), in order,
        and the duration fits in the days they span."""
        latest = clock.now().date() + timedelta(days=1)
        for name in ("occurred_on", "ended_on"):
            value = getattr(self, name)
            if value is not None and not EARLIEST_DATE <= value <= latest:
                raise ValueError(f"{name} must be between {EARLIEST_DATE} and {latest}")
        if self.ended_on is not None and self.ended_on < self.occurred_on:
            raise ValueError("ended_on must not be before occurred_on")
        days = ((self.ended_on or self.occurred_on) - self.occurred_on).days + 1
        if self.duration_minutes > days * 24 * 60:
            raise ValueError(f"duration_minutes is more than the {days} day(s) the entry spans")
        return self


class EvidencePatch(RequestModel):
    """A partial change: only the fields sent are changed."""

    kind: Kind | None = None
    title: Title | None = None
    occurred_on: IsoDate | None = None
    ended_on: IsoDate | None = None
    duration_minutes: Annotated[JsonInt, Field(ge=0, le=MAX_DURATION_MINUTES)] | None = None
    participatory: JsonBool | None = None
    activity_type: ActivityType | None = None
    description: LongText | None = None
    reflection: Reflection | None = None
    tags: Annotated[list[Tag], Field(max_length=30)] | None = None


class EntryIn(EvidenceContent):
    """An entry as ``PUT`` and batches send it: its content, and whether it accepts a suggestion."""

    #: True when the app writes this entry to accept the suggestion with the same id
    #: (``GET /v1/me/suggestions``): the entry's creation marks that suggestion accepted. Not part of
    #: the entry's content (a replay need not repeat it); ignored by a change of an existing entry.
    accepts_suggestion: JsonBool = False


class BatchItem(EntryIn):
    id: UUID
    #: The version the phone last saw; required to change an entry that already exists.
    if_match: JsonInt | None = None


class BatchIn(RequestModel):
    entries: Annotated[list[BatchItem], Field(min_length=1, max_length=100)]


class EvidenceOut(BaseModel):
    id: UUID
    kind: str
    title: str
    occurred_on: date
    ended_on: date | None
    duration_minutes: int
    participatory: bool
    activity_type: str
    description: str
    reflection: Reflection
    tags: list[str]
    created_at: datetime
    updated_at: datetime
    version: int


class EvidencePage(BaseModel):
    items: list[EvidenceOut]
    #: Pass as ``cursor`` to get the next page; null on the last page.
    next_cursor: str | None


class BatchResult(BaseModel):
    id: UUID
    outcome: Literal["created", "updated", "unchanged"]
    entry: EvidenceOut


class BatchOut(BaseModel):
    results: list[BatchResult]


class SyncChange(BaseModel):
    id: UUID
    version: int
    deleted: bool
    #: The entry as it now stands; null for a deletion.
    entry: EvidenceOut | None


class SyncPage(BaseModel):
    changes: list[SyncChange]
    #: Store this and send it as ``since`` next time.
    next_cursor: str
    has_more: bool
