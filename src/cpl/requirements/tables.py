"""A worker's registrations, their explanations of gaps, and peer discussions on entries."""

from __future__ import annotations

from piccolo.columns import UUID, Date, ForeignKey, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from cpl.accounts.tables import Account
from cpl.evidence.tables import EvidenceEntry


class Registration(Table, tablename="registration"):
    """A register the worker is on, with the dates its rules are counted from and due by."""

    id = UUID(primary_key=True)
    owner = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False, index=True)
    #: A requirement pack's register: ``nmc``, ``hcpc``, ``swe``, ``sssc``, ``coru``.
    register = Varchar(length=48)
    registration_number = Varchar(length=64)
    #: One of the pack's parts or roles (``nurse``, ``elc``…): selects part-specific rules.
    part = Varchar(length=48)
    #: Start of the current registration cycle (last renewal, or joining the register).
    cycle_start = Date()
    #: When the registration must next be renewed (NMC: the revalidation date).
    renewal_date = Date()
    #: A pinned pack edition; empty: the edition in force on the day progress is asked for.
    pack_edition = Varchar(length=48, default="")
    #: The worker's summary of their practice (HCPC's CPD profile asks for ≤ 500 words).
    practice_summary = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class GapExplanation(Table, tablename="gap_explanation"):
    """Why the worker's record has no activity from ``starts_on`` to ``ends_on`` (leave,
    illness, a career break): a gap those dates cover no longer needs explaining."""

    id = UUID(primary_key=True)
    owner = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False, index=True)
    registration = ForeignKey(references=Registration, on_delete=OnDelete.cascade, null=False, index=True)
    starts_on = Date()
    ends_on = Date()
    reason = Text()
    created_at = Timestamptz(default=TimestamptzNow())


class PeerDiscussion(Table, tablename="peer_discussion"):
    """Who the worker discussed an entry with, and what they learnt from it.

    NMC's reflective discussion records the other registrant's name and NMC PIN (and
    email and address); Social Work England's peer reflection records what was learnt
    from discussing the CPD with a peer. One record per entry, kept apart from the entry
    itself so that the evidence log stays the lead's schema.
    """

    entry = ForeignKey(references=EvidenceEntry, on_delete=OnDelete.cascade, null=False, primary_key=True)
    owner = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False, index=True)
    name = Varchar(length=200)
    #: The peer's NMC PIN, when they are an NMC registrant.
    pin = Varchar(length=16, default="")
    email = Varchar(length=254, default="")
    address = Text(default="")
    #: The peer's role or profession.
    role = Varchar(length=200, default="")
    #: What the worker learnt from the discussion (Social Work England's peer reflection).
    learning = Text(default="")
    updated_at = Timestamptz(default=TimestamptzNow())
