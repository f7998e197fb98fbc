"""The workforce view's stored lines: one per (organisation, sharing worker), kept up to date by events.

A line is what the requirements engine judged of the worker's shared record on one day
(``valid_on``). Any event that may change it (an entry written or deleted, a share made or
ended, a registration, framework link or peer discussion changed, a membership ended) marks the
worker's lines (``marked`` grows, ``valid_on`` is cleared) in the transaction of the change;
the next read, or the scheduled refresh, judges only the marked workers again
(:mod:`cpl.workforce.refresh`). Everything here is derived from the worker's own record, so it is
deleted with their account (:func:`cpl.workforce.marking.erase_worker_lines`).
"""

from __future__ import annotations

from piccolo.columns import UUID, Date, ForeignKey, Integer, OnDelete, SmallInt, Text, Varchar
from piccolo.table import Table

from cpl.accounts.tables import Account
from cpl.organisations.tables import Organisation


class WorkforceLine(Table, tablename="workforce_line"):
    """One sharing worker's line in one organisation's workforce view (unique per pair)."""

    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, null=False)
    worker = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False, index=True)
    #: The worker's name when judged (names change only by erasure, which deletes the line).
    display_name = Varchar(length=200, default="")
    #: Grows by one each time an event marks the line; ``judged`` is the mark it was judged at.
    marked = Integer(default=1)
    judged = Integer(default=0)
    #: The day the stored judgement holds for; null while marked since (or never judged).
    valid_on = Date(null=True, default=None)
    #: The worst of the registrations' statuses (``cpl.workforce.schemas.STATUS_ORDER`` index).
    status_rank = SmallInt(default=4)
    shared_entries = Integer(default=0)
    last_activity = Date(null=True, default=None)
    #: The registrations shown (``WorkforceRegistrationOut`` list), as JSON.
    registrations = Text(default="[]")


class WorkforceRegistration(Table, tablename="workforce_registration"):
    """One registration of a stored line, for the filters (register, status, due date) in SQL."""

    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, null=False)
    worker = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False)
    registration = UUID()
    register = Varchar(length=48)
    status_rank = SmallInt()
    due_on = Date()
