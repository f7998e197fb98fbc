"""Organisations (employers and regulators), their members, invitations and supervision links."""

from __future__ import annotations

from piccolo.columns import UUID, ForeignKey, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from cpl.accounts.tables import Account


class Organisation(Table, tablename="organisation"):
    """An employer (its supervisors review their staff's evidence) or a regulator (its
    auditors sample registrants' records)."""

    id = UUID(primary_key=True)
    name = Varchar(length=200)
    #: ``employer`` or ``regulator``.
    kind = Varchar(length=16)
    created_by = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True)
    created_at = Timestamptz(default=TimestamptzNow())


class Membership(Table, tablename="membership"):
    """One role a person holds in an organisation; a person may hold several.

    Leaving sets ``left_at``: the row stays (who verified what, and as whom, must stay
    answerable), but an ended membership grants nothing.
    """

    id = UUID(primary_key=True)
    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, null=False, index=True)
    account = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False, index=True)
    #: ``worker``, ``supervisor``, ``admin`` or ``auditor``.
    role = Varchar(length=16)
    joined_at = Timestamptz(default=TimestamptzNow())
    left_at = Timestamptz(null=True, default=None)


class Invitation(Table, tablename="invitation"):
    """An organisation admin's invitation of an e-mail address to a role.

    Only the account with that e-mail may accept it, once.
    """

    id = UUID(primary_key=True)
    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, null=False, index=True)
    #: Lower-cased, as accounts store theirs.
    email = Varchar(length=254, index=True)
    role = Varchar(length=16)
    invited_by = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True)
    created_at = Timestamptz(default=TimestamptzNow())
    accepted_at = Timestamptz(null=True, default=None)
    #: Set when the admin withdraws it (or the invitee declines).
    cancelled_at = Timestamptz(null=True, default=None)


class SupervisionLink(Table, tablename="supervision_link"):
    """A supervisor of an organisation supervising one of its workers.

    A worker may share with, and submit entries for review to, only a supervisor linked to
    them. The link ends when either of them leaves the organisation.
    """

    id = UUID(primary_key=True)
    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, null=False, index=True)
    supervisor = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False, index=True)
    worker = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    ended_at = Timestamptz(null=True, default=None)


class OrganisationVetting(Table, tablename="organisation_vetting"):
    """One operator's decision on an organisation: ``vetted`` or ``revoked``, with the evidence.

    Rows are only ever added: the latest says whether the organisation is vetted now, the
    earlier ones are its history (who decided, when, on what evidence). An organisation
    with no row has never been vetted.
    """

    id = UUID(primary_key=True)
    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, null=False, index=True)
    #: ``vetted`` or ``revoked``.
    action = Varchar(length=16)
    #: The evidence, in the operator's words ("Checked on the NHS ODS register, code ABC").
    note = Text()
    operator = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True)
    #: The operator's name when they decided (kept if their account goes).
    operator_name = Varchar(length=200)
    decided_at = Timestamptz(default=TimestamptzNow(), index=True)
