"""Bodies of the requirements API: registrations, gap explanations, peer discussions, packs
and progress.

Requests are pydantic models (validated, unknown fields refused); responses are msgspec
structs, which a progress report of thousands of entries needs to be built and encoded
in a few milliseconds.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from pydantic import Field, StringConstraints, model_validator

from cpl.evidence.schemas import EARLIEST_DATE, IsoDate
from cpl.kernel.fields import Line, Name, Paragraphs
from cpl.kernel.registers import NmcPin
from cpl.kernel.schemas import Out, RequestModel
from cpl.requirements.pack import Slug

Status = Literal["met", "on_track", "at_risk", "not_met"]
PartKey = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=48)]


class RegistrationIn(RequestModel):
    """A register the worker is on. ``register`` and ``part`` are keys from
    ``GET /v1/requirement-packs``; ``pack_edition`` pins an edition (empty: the one in force).

    The attribute is ``register_key`` because a pydantic model's class already has an inherited
    ``register`` method, which OpenAPI generation would otherwise document as the default."""

    register_key: Slug = Field(alias="register")

    registration_number: Line(64, min_length=1)
    part: PartKey
    cycle_start: IsoDate
    renewal_date: IsoDate
    pack_edition: Line(48) = ""
    #: HCPC's CPD profile opens with a summary of practice of up to 500 words.
    practice_summary: Paragraphs(10_000) = ""

    @model_validator(mode="after")
    def _dates_in_order(self) -> RegistrationIn:
        if self.cycle_start < EARLIEST_DATE:
            raise ValueError(f"cycle_start must not be before {EARLIEST_DATE}")
        if self.renewal_date <= self.cycle_start:
            raise ValueError("renewal_date must be after cycle_start")
        return self


class RegistrationOut(Out):
    id: UUID
    register: str
    registration_number: str
    part: str
    cycle_start: date
    renewal_date: date
    pack_edition: str
    practice_summary: str
    created_at: datetime
    updated_at: datetime


class GapExplanationIn(RequestModel):
    """Why there was no learning from ``starts_on`` to ``ends_on`` (both included)."""

    starts_on: IsoDate
    ends_on: IsoDate
    reason: Paragraphs(2000)

    @model_validator(mode="after")
    def _sensible(self) -> GapExplanationIn:
        if not self.reason.strip():
            raise ValueError("reason must say why")
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on must not be before starts_on")
        return self


class GapExplanationOut(Out):
    id: UUID
    registration_id: UUID
    starts_on: date
    ends_on: date
    reason: str


class PeerDiscussionIn(RequestModel):
    """Who the entry was discussed with. NMC's reflective discussion needs ``name`` and
    ``pin``; Social Work England's peer reflection needs ``name`` and ``learning``."""

    name: Name(200)
    #: The peer's NMC PIN, such as ``98Y1234E`` (see :mod:`cpl.kernel.registers`).
    pin: NmcPin = ""
    email: Line(254) = ""
    address: Paragraphs(1000) = ""
    role: Line(200) = ""
    learning: Paragraphs(20_000) = ""


class PeerDiscussionOut(Out):
    entry_id: UUID
    name: str
    pin: str
    email: str
    address: str
    role: str
    learning: str
    updated_at: datetime


class SourceOut(Out):
    title: str
    url: str


class RuleSummary(Out):
    id: str
    title: str
    type: str
    source: SourceOut
    #: Only registrations on these parts; null: every part.
    applies_to_parts: list[str] | None


class PackOut(Out):
    register: str
    edition: str
    title: str
    regulator: str
    effective_from: date
    effective_to: date | None
    source: SourceOut
    description: str
    parts: dict[str, str]
    rules: list[RuleSummary]


class PeriodOut(Out):
    start: date
    end: date


class CountedEntry(Out):
    """An entry behind a figure, with the minutes it adds (0 for rules that count entries)."""

    #: The entry's id (a UUID).
    id: str
    kind: str
    title: str
    occurred_on: date
    ends_on: date
    minutes: int


class NotCounted(Out):
    """An entry of the rule's kinds in the period that does not count, and why."""

    id: str
    title: str
    ends_on: date
    reason: str


class ItemProgress(Out):
    code: str
    title: str
    role: Literal["element", "mandatory_topic"]
    #: For a mandatory topic, the element it lies within.
    element: str | None
    covered: bool
    entry_ids: list[str]


class GapOut(Out):
    """Days without activity between ``from_date`` (the last activity, or the period's
    start) and ``to_date`` (the next activity, or the day asked about for an open gap)."""

    from_date: date
    to_date: date
    open: bool
    after_entry_id: str | None
    before_entry_id: str | None
    explained: bool
    explanation_ids: list[UUID]


class TypeCount(Out):
    activity_type: str
    entry_ids: list[str]


class UnitFigures(Out):
    """The same figures in the regulator's unit (CORU: credits of 60 minutes)."""

    name: str
    minutes_per_unit: int
    required: float
    achieved: float
    remaining: float


class RuleProgress(Out):
    id: str
    title: str
    type: str
    source: SourceOut
    status: Status
    #: What the figures count: minutes, entries, items, activity_types or unexplained_gaps.
    unit: str
    #: For unexplained_gaps: the most allowed (0), the number found, and how many to explain.
    required: int
    achieved: int
    remaining: int
    period: PeriodOut
    due_on: date
    entries: list[CountedEntry]
    not_counted: list[NotCounted] = msgspec.field(default_factory=list)
    items: list[ItemProgress] | None = None
    gaps: list[GapOut] | None = None
    activity_types: list[TypeCount] | None = None
    in_units: UnitFigures | None = None


class PackRef(Out):
    """The edition a registration was judged against (``GET /v1/requirement-packs`` has the rest)."""

    register: str
    edition: str
    title: str
    effective_from: date
    effective_to: date | None
    source: SourceOut


class RegistrationProgress(Out):
    registration: RegistrationOut
    pack: PackRef
    #: The worst of the rules' statuses.
    status: Status
    rules: list[RuleProgress]


class ProgressOut(Out):
    as_of: date
    registrations: list[RegistrationProgress]
