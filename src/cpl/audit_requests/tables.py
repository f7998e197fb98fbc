"""Audit requests: a regulator's auditor asks a worker for their record for one registration and period."""

from __future__ import annotations

from piccolo.columns import UUID, Date, ForeignKey, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from cpl.accounts.tables import Account
from cpl.exports.tables import Export, ExportShare
from cpl.organisations.tables import Organisation


class AuditRequest(Table, tablename="audit_request"):
    """One request, its latest answer and the auditor's outcome (see :mod:`cpl.audit_requests.service`).

    ``state`` runs ``requested`` → ``responded`` → ``accepted`` | ``not_accepted`` |
    ``more_information_needed`` (→ ``responded`` again); ``requested`` or
    ``more_information_needed`` → ``declined`` (the worker) or ``withdrawn`` (the auditor).
    """

    id = UUID(primary_key=True)
    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, null=False, index=True)
    #: Its name when the request was made (shown to the worker as asked).
    organisation_name = Varchar(length=200)
    auditor = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True)
    #: The auditor's name when they asked (kept if their account goes).
    auditor_name = Varchar(length=200)
    #: The address asked, lower-cased as accounts store theirs.
    worker_email = Varchar(length=254, index=True)
    #: The account that answered or declined: from then on the request is that account's.
    worker = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=True, index=True)
    #: A requirement pack's register: ``nmc``, ``hcpc``, ``swe``, ``sssc``, ``coru``.
    register = Varchar(length=48)
    period_from = Date()
    period_to = Date()
    #: The last day to answer (UTC); the request is overdue after it while unanswered.
    deadline = Date()
    message = Text(default="")
    state = Varchar(length=32, default="requested", index=True)
    #: Random, with the service's secret key it derives the share link's token and passcode
    #: (:mod:`cpl.audit_requests.links`): cpl shows them to the auditors, yet keeps neither.
    share_salt = Varchar(length=32, default="")
    #: The export the worker answered with, and the share link made for the auditor.
    export = ForeignKey(references=Export, on_delete=OnDelete.set_null, null=True)
    share = ForeignKey(references=ExportShare, on_delete=OnDelete.set_null, null=True)
    responded_at = Timestamptz(null=True, default=None)
    #: The worker's note with their answer, or their reason for declining.
    worker_note = Text(default="")
    decided_at = Timestamptz(null=True, default=None)
    #: The auditor's note with the outcome.
    outcome_note = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
