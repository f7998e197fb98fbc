"""The workforce view's answers (msgspec: a page is built for thousands of workers at once)."""

from __future__ import annotations

from datetime import date
from typing import Literal
from uuid import UUID

import msgspec

from cpl.kernel.schemas import Out

#: A registration's status (the requirements engine's), or a sharing worker with no registration.
WorkforceStatus = Literal["not_met", "at_risk", "on_track", "met", "no_registration"]
#: Worst first: a worker's status is the worst of their registrations' shown.
STATUS_ORDER: tuple[str, ...] = ("not_met", "at_risk", "on_track", "met", "no_registration")


class MandatoryItem(Out):
    """One item a rule requires to be covered (SSSC: a core learning element or a mandatory topic)."""

    code: str
    title: str
    #: ``element`` or ``mandatory_topic``.
    role: str
    covered: bool


class WorkforceRegistrationOut(Out):
    registration_id: UUID
    register: str
    part: str
    cycle_start: date
    renewal_date: date
    #: The earliest day one of its rules is due (the current period's end), else the renewal date.
    due_on: date
    status: Literal["not_met", "at_risk", "on_track", "met"]
    #: Rule id → its status.
    rules: dict[str, str]
    #: Items mandatory learning must cover, done (``covered``) or missing.
    mandatory_learning: list[MandatoryItem]


class SupervisorRef(Out):
    id: UUID
    display_name: str


class WorkforceWorkerOut(Out):
    worker_id: UUID
    display_name: str
    #: The worst of the registrations shown; ``no_registration`` when there is none.
    status: WorkforceStatus
    #: How many live entries the worker shares with the organisation.
    shared_entries: int
    #: The day the latest shared entry ended (none shared: null).
    last_activity: date | None
    supervisors: list[SupervisorRef]
    registrations: list[WorkforceRegistrationOut]


class WorkforcePage(Out):
    as_of: date
    #: Workers in the whole filtered set (every page).
    total: int
    #: Workers of the whole filtered set by status; every status present, zeros included.
    counts: dict[str, int]
    items: list[WorkforceWorkerOut]
    next_cursor: str | None


_REGISTRATIONS = msgspec.json.Decoder(list[WorkforceRegistrationOut])


def encode_registrations(registrations: tuple[WorkforceRegistrationOut, ...]) -> str:
    """A stored line's registrations, as JSON (one encoding: :func:`decode_registrations` reads it)."""
    return msgspec.json.encode(registrations).decode()


def decode_registrations(text: str) -> list[WorkforceRegistrationOut]:
    return _REGISTRATIONS.decode(text)
