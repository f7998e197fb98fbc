"""A worker's shares of their evidence with a supervisor or an organisation."""

from __future__ import annotations

from piccolo.columns import UUID, Date, ForeignKey, OnDelete, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from cpl.accounts.tables import Account
from cpl.evidence.tables import EvidenceEntry
from cpl.organisations.tables import Organisation


class Share(Table, tablename="evidence_share"):
    """Read-only access, granted by the worker, to some of their entries.

    ``scope`` ``entries``: the entries listed in :class:`SharedEntry`. ``scope`` ``filter``:
    every live entry matching all of the filter's parts (none set: every entry), decided
    when it is read, so entries logged later are shared too. A share is with one supervisor
    (``supervisor`` set) or with the organisation's admins, supervisors and auditors.
    """

    id = UUID(primary_key=True)
    owner = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False, index=True)
    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, null=False, index=True)
    supervisor = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=True, default=None, index=True)
    scope = Varchar(length=16)
    occurred_from = Date(null=True, default=None)
    occurred_to = Date(null=True, default=None)
    #: A competence framework edition: entries linked to one of its items.
    framework = UUID(null=True, default=None)
    #: One of the owner's registrations: entries ending within its current cycle.
    registration = UUID(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    #: Revoked by the worker, or ended by their leaving the organisation.
    ended_at = Timestamptz(null=True, default=None)
    #: ``revoked``, ``worker_left`` or ``supervisor_left``.
    end_reason = Varchar(length=32, default="")


class SharedEntry(Table, tablename="shared_entry"):
    """One entry chosen for an ``entries`` share."""

    share = ForeignKey(references=Share, on_delete=OnDelete.cascade, null=False, index=True)
    entry = ForeignKey(references=EvidenceEntry, on_delete=OnDelete.cascade, null=False, index=True)
