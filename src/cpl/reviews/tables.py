"""Entries submitted for review, what happened to each review, and verifications."""

from __future__ import annotations

from piccolo.columns import JSON, UUID, Boolean, ForeignKey, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from cpl.accounts.tables import Account
from cpl.evidence.tables import EvidenceEntry
from cpl.organisations.tables import Organisation


class Review(Table, tablename="review"):
    """A worker's request that a supervisor review one entry.

    ``state``: ``submitted`` (in the supervisor's queue), ``changes_requested`` (back with
    the worker), ``verified``, ``withdrawn`` by the worker, or ``closed`` once the reviewer may no
    longer act on it (see :mod:`cpl.reviews.closing`).
    """

    id = UUID(primary_key=True)
    entry = ForeignKey(references=EvidenceEntry, on_delete=OnDelete.cascade, null=False, index=True)
    owner = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False, index=True)
    reviewer = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False, index=True)
    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, null=False)
    state = Varchar(length=24)
    #: The entry's title when it was submitted (the queue lists it without reading entries).
    entry_title = Varchar(length=200)
    submitted_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class ReviewEvent(Table, tablename="review_event"):
    """One step in a review's history: submitted, commented, changes requested, resubmitted,
    verified, withdrawn. Never changed or deleted while the review exists."""

    id = UUID(primary_key=True)
    review = ForeignKey(references=Review, on_delete=OnDelete.cascade, null=False, index=True)
    actor = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True)
    actor_name = Varchar(length=200)
    action = Varchar(length=24)
    body = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class Verification(Table, tablename="verification"):
    """A supervisor's statement that an entry is true, bound to the entry as it stood.

    ``content_hash`` is the SHA-256 of the entry's content hash and its attachments' SHA-256s
    (sorted) when it was verified; once the entry changes, the verification is stale: kept,
    shown in the history, never counted.
    """

    id = UUID(primary_key=True)
    review = ForeignKey(references=Review, on_delete=OnDelete.cascade, null=False, index=True)
    entry = ForeignKey(references=EvidenceEntry, on_delete=OnDelete.cascade, null=False, index=True)
    verifier = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True)
    verifier_name = Varchar(length=200)
    #: The verifier's professional role as they stated it (e.g. "Registered nurse, ward manager").
    verifier_role = Varchar(length=200)
    #: Their registration number (NMC PIN, SSSC number) where they have one.
    verifier_registration_number = Varchar(length=64, default="")
    #: The register that number is on (``nmc``, ``hcpc``, ``swe``, ``sssc``, ``other``), "" without one;
    #: see :mod:`cpl.kernel.registers`.
    verifier_register = Varchar(length=16, default="")
    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.set_null, null=True)
    organisation_name = Varchar(length=200)
    #: Whether an operator had vetted the organisation when the verification was made. Fixed
    #: then: revoking the vetting later does not rewrite what was signed.
    organisation_vetted = Boolean(default=False)
    statement = Text()
    verified_at = Timestamptz(default=TimestamptzNow())
    content_hash = Varchar(length=64)
    #: What the binding hash was made of: ``{"entry": …, "attachments": [...]}``.
    hashed = JSON(default={})
