"""Bodies of ``GET /v1/me/registrations/{id}/audit-profile``: one shape per regulator."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from cpl.kernel.schemas import Out
from cpl.requirements.schemas import GapOut, PeerDiscussionOut, PeriodOut, RegistrationOut, Status, UnitFigures


class LinkedItem(Out):
    framework: str
    code: str
    title: str


class SignOffOut(Out):
    """Someone's current verification of the entry (see :mod:`cpl.requirements.sign_offs`)."""

    verifier_name: str
    verifier_role: str
    organisation_name: str
    #: Whether an operator had vetted the organisation when they verified.
    organisation_vetted: bool
    #: "vetted organisation" or "self-declared organisation".
    organisation_standing: str
    verified_at: datetime


class ProfileEntry(Out):
    """An entry as a regulator's form asks for it: method, topic, dates, hours, reflection,
    the framework items it relates to (NMC: the part of the Code) and any peer discussion."""

    #: The entry's id (a UUID).
    id: str
    kind: str
    title: str
    activity_type: str
    occurred_on: date
    ended_on: date | None
    minutes: int
    participatory: bool
    description: str
    what_happened: str
    what_i_learned: str
    how_it_changes_practice: str
    linked_items: list[LinkedItem]
    peer_discussion: PeerDiscussionOut | None
    #: Who signed the entry off (its current verifications), each saying whether their
    #: organisation was vetted: a confirmer's or employer's sign-off from a self-declared
    #: organisation says so.
    sign_offs: list[SignOffOut]


class RequirementLine(Out):
    id: str
    title: str
    status: Status
    unit: str
    required: int
    achieved: int
    remaining: int
    due_on: date


class ProfileBase(Out):
    register: str
    edition: str
    pack_title: str
    as_of: date
    registration: RegistrationOut
    status: Status
    period: PeriodOut
    requirements: list[RequirementLine]


class SummaryOfPractice(Out):
    text: str
    words: int
    word_limit: int
    over_limit: bool


class ExplainedGap(Out):
    from_date: date
    to_date: date
    reasons: list[str]


class StatementGuide(Out):
    """What the ~1,500-word statement is drawn from: 4 to 6 activities of different types
    with written reflections, those linked to HCPC standards 3 and 4 first."""

    word_limit: int
    suggested_entries: list[ProfileEntry]
    note: str


class StandardEvidence(Out):
    code: str
    title: str
    entry_ids: list[str]


class HcpcProfile(ProfileBase, tag_field="profile", tag="hcpc"):
    summary_of_practice: SummaryOfPractice
    #: Every CPD activity in the period, oldest first.
    activities: list[ProfileEntry]
    gaps_needing_explanation: list[GapOut]
    explained_gaps: list[ExplainedGap]
    statement: StatementGuide
    standards: list[StandardEvidence]


class NmcProfile(ProfileBase, tag_field="profile", tag="nmc"):
    cpd_log: list[ProfileEntry]
    cpd_minutes: int
    participatory_minutes: int
    practice_hours: list[ProfileEntry]
    practice_minutes: int
    feedback: list[ProfileEntry]
    reflective_accounts: list[ProfileEntry]
    reflective_discussions: list[ProfileEntry]


class SweProfile(ProfileBase, tag_field="profile", tag="swe"):
    #: The CPD review record: each piece's type, description, date, learning, impact and peer reflection.
    records: list[ProfileEntry]


class ElementEvidence(Out):
    code: str
    title: str
    role: Literal["element", "mandatory_topic"]
    element: str | None
    covered: bool
    entries: list[ProfileEntry]


class SsscProfile(ProfileBase, tag_field="profile", tag="sssc"):
    #: The annual declaration: each core learning element (and mandatory topic) with its evidence.
    elements: list[ElementEvidence]
    #: Minutes counted by the pack's hours rule, where the part has one (ELC: 12 hours a
    #: year; the 2020 edition: the registration period's hours).
    learning_minutes: int | None
    verification: str


class CoruProfile(ProfileBase, tag_field="profile", tag="coru"):
    credits: UnitFigures | None
    activities: list[ProfileEntry]
    reflections: list[ProfileEntry]


AuditProfileOut = HcpcProfile | NmcProfile | SweProfile | SsscProfile | CoruProfile
