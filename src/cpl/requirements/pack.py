"""The requirement-pack format: what one edition of one register's CPD rules says.

A pack is a JSON file in ``requirements/packs/`` named ``<register>-<edition>.json``:

- ``register`` (``nmc``, ``hcpc``, ``swe``, ``sssc``, ``coru``), ``edition``, ``title``,
  ``regulator``, ``effective_from``/``effective_to`` (inclusive dates; the newest edition
  has no end), ``source`` (``{"title", "url"}``: where the regulator publishes the rules);
- ``parts``: the parts of the register or roles a registration may name (``nurse``,
  ``elc``…), each with a label; a rule with ``applies_to_parts`` applies only to those;
- ``cycle_months``: the longest a registration's cycle runs on this register, from its cycle
  start to its renewal date (NMC revalidation: 3 years; HCPC renewal: 2 years; SSSC
  registration: 5 years — ../shared/DOMAIN.md); absent where the rules do not run on the
  registration's own cycle (Social Work England's year to 30 November, CORU's rolling 12 months);
- ``deadline``: when the pack's rules fall due, unless a rule says otherwise —
  ``{"type": "cycle_end"}`` (the registration's renewal date), ``{"type": "cycle_end",
  "every_months": 12}`` (each year of the registration counted from its cycle start),
  ``{"type": "fixed_date", "month": 11, "day": 30}`` (the same date every year) or
  ``{"type": "rolling", "months": 12}`` (always the last 12 months);
- ``audit_profile``: which regulator's profile ``GET …/audit-profile`` assembles;
- ``rules``: each with an ``id`` (unique in the pack), ``title``, ``source`` (the
  regulator's page that states it) and a ``type``, one of the classes below.

Every figure is in whole minutes: hours are ``60 ×`` and CORU's credits carry a ``unit``
(1 credit = 60 minutes, CORU CPD FAQs) so that progress can show them as credits too.
"""

from __future__ import annotations

import warnings
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,47}$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=500)]
#: A framework item's code (``humanCodingScheme``) as in competences/data, e.g. ``CLE.COMMS``.
ItemCode = Annotated[str, StringConstraints(min_length=1, max_length=255)]
Months = Annotated[int, Field(ge=1, le=120)]
PeerField = Literal["name", "pin", "email", "address", "role", "learning"]
AuditProfile = Literal["nmc", "hcpc", "swe", "sssc", "coru"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


with warnings.catch_warnings():
    # The domain's word is "register"; the field hides pydantic's inherited ABC ``register``
    # method, which nothing here calls. Models inheriting the field do not warn again.
    warnings.simplefilter("ignore", UserWarning)

    class OnRegister(BaseModel):
        """A model with a ``register`` field: ``nmc``, ``hcpc``, ``swe``, ``sssc``, ``coru``…"""

        register: Slug


class Source(Strict):
    title: Text
    url: Annotated[str, StringConstraints(pattern=r"^https://\S+$", max_length=500)]


class CycleEnd(Strict):
    """Due on the registration's renewal date; with ``every_months``, due at the end of
    each such stretch counted from the cycle start (SSSC's annual declaration)."""

    type: Literal["cycle_end"]
    every_months: Months | None = None


class FixedDate(Strict):
    """Due on the same day every year (Social Work England: 30 November)."""

    type: Literal["fixed_date"]
    month: Annotated[int, Field(ge=1, le=12)]
    day: Annotated[int, Field(ge=1, le=31)]

    @model_validator(mode="after")
    def _a_day_every_year_has(self) -> FixedDate:
        """29 February is refused: a yearly deadline must fall on a day every year has."""
        try:
            date(2023, self.month, self.day)
        except ValueError:
            raise ValueError(f"{self.month}-{self.day} is not a day that every year has") from None
        return self


class Rolling(Strict):
    """Always the last ``months`` months, ending on the day progress is asked for (CORU)."""

    type: Literal["rolling"]
    months: Months


Deadline = Annotated[CycleEnd | FixedDate | Rolling, Field(discriminator="type")]


class Unit(Strict):
    """A unit the regulator counts in, and how many minutes make one."""

    name: Slug
    minutes: Annotated[int, Field(ge=1, le=6000)]


class EntryCondition(Strict):
    """What each counted entry must also have (all that are given).

    - ``framework``: a link to an item of this built-in framework (by key), and when
      ``items`` is given, to one of those items or an item beneath one of them;
    - ``peer_discussion``: a peer-discussion record on the entry with these fields filled
      (``PUT /v1/evidence/{id}/peer-discussion``);
    - ``reflection``: a written reflection (any part of the entry's ``reflection``).
    """

    framework: Slug | None = None
    items: list[ItemCode] | None = None
    peer_discussion: list[PeerField] | None = None
    reflection: bool = False

    @model_validator(mode="after")
    def _says_something(self) -> EntryCondition:
        if self.items is not None and self.framework is None:
            raise ValueError("items need a framework")
        if self.framework is None and not self.peer_discussion and not self.reflection:
            raise ValueError("a condition needs a framework, peer_discussion or reflection")
        return self


class RuleBase(Strict):
    id: Slug
    title: Text
    source: Source
    #: Overrides the pack's deadline for this rule.
    deadline: Deadline | None = None
    #: Only registrations on these parts; all parts when absent.
    applies_to_parts: list[Slug] | None = None


class MinMinutes(RuleBase):
    """At least ``minutes`` of the given kinds (optionally only participatory entries, or
    only some activity types)."""

    type: Literal["min_minutes"]
    minutes: Annotated[int, Field(ge=1, le=1_000_000)]
    kinds: Annotated[list[Slug], Field(min_length=1)]
    activity_types: list[Slug] | None = None
    participatory_only: bool = False
    unit: Unit | None = None


class MinCount(RuleBase):
    """At least ``count`` entries of the given kinds, each meeting ``each`` when given."""

    type: Literal["min_count"]
    count: Annotated[int, Field(ge=1, le=10_000)]
    kinds: Annotated[list[Slug], Field(min_length=1)]
    each: EntryCondition | None = None


class Coverage(RuleBase):
    """Every element of a framework covered, and within them every mandatory topic.

    An item is covered by an entry linked to it or to an item beneath it; each mandatory
    topic must lie beneath one of the listed elements.
    """

    type: Literal["coverage"]
    framework: Slug
    elements: Annotated[list[ItemCode], Field(min_length=1)]
    mandatory_topics: list[ItemCode] = Field(default_factory=list)
    kinds: list[Slug] | None = None


class NoGap(RuleBase):
    """No stretch of ``months`` months without an activity, unless the worker explained it.

    ``at_least`` true: a gap of exactly ``months`` months needs explaining (HCPC: "three
    consecutive months or more"); false: only a gap longer than that does.
    """

    type: Literal["no_gap"]
    months: Months
    at_least: bool
    kinds: Annotated[list[Slug], Field(min_length=1)]


class ActivityMix(RuleBase):
    """Entries of at least ``at_least`` different activity types."""

    type: Literal["activity_mix"]
    at_least: Annotated[int, Field(ge=1, le=20)]
    kinds: Annotated[list[Slug], Field(min_length=1)]


Rule = Annotated[MinMinutes | MinCount | Coverage | NoGap | ActivityMix, Field(discriminator="type")]


class RequirementPack(OnRegister, Strict):
    edition: Slug
    title: Text
    regulator: Text
    effective_from: date
    effective_to: date | None = None
    source: Source
    description: Annotated[str, StringConstraints(max_length=4000)] = ""
    parts: Annotated[dict[Slug, Text], Field(min_length=1)]
    cycle_months: Annotated[int, Field(ge=1, le=120)] | None = None
    deadline: Deadline
    audit_profile: AuditProfile
    rules: Annotated[list[Rule], Field(min_length=1)]

    @model_validator(mode="after")
    def _dates_in_order(self) -> RequirementPack:
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        return self

    def rules_for(self, part: str) -> list[MinMinutes | MinCount | Coverage | NoGap | ActivityMix]:
        """The rules a registration on ``part`` must meet."""
        return [rule for rule in self.rules if rule.applies_to_parts is None or part in rule.applies_to_parts]

    def deadline_of(self, rule: RuleBase) -> CycleEnd | FixedDate | Rolling:
        return rule.deadline or self.deadline
