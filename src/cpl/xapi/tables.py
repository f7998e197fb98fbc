"""Learning records from employers' systems: LRS credentials, consents, statements and suggestions."""

from __future__ import annotations

from piccolo.columns import JSON, UUID, Date, ForeignKey, Integer, OnDelete, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from cpl.accounts.tables import Account
from cpl.organisations.tables import Organisation


class LrsCredential(Table, tablename="lrs_credential"):
    """HTTP Basic credentials an organisation's learning system posts xAPI statements with.

    The secret is shown once, when made; only its SHA-256 is kept (it is 32 random bytes, so a
    fast hash is enough: there is nothing to guess). Revoking sets ``revoked_at``; the row stays
    so the audit log's references keep a meaning.
    """

    id = UUID(primary_key=True)
    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, null=False, index=True)
    #: The Basic user name: ``lrs-`` and 24 hex digits, not secret.
    key = Varchar(length=40, unique=True)
    #: SHA-256 of the secret, hex.
    secret_hash = Varchar(length=64)
    label = Varchar(length=200)
    created_by = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True)
    created_at = Timestamptz(default=TimestamptzNow())
    revoked_at = Timestamptz(null=True, default=None)


class SuggestionConsent(Table, tablename="suggestion_consent"):
    """A worker's agreement to receive suggested entries from one organisation (withdrawn: deleted)."""

    id = UUID(primary_key=True)
    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, null=False)
    account = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False)
    given_at = Timestamptz(default=TimestamptzNow())


class XapiStatement(Table, tablename="xapi_statement"):
    """A statement an organisation's learning system sent, as stored (with ``stored`` and ``authority``).

    Statement ids are unique per organisation (``xapi_statement_organisation_statement``): the
    same id again is a replay when its content hash matches, a conflict otherwise.
    """

    id = UUID(primary_key=True)
    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, null=False)
    statement_id = UUID()
    #: SHA-256 of the statement as sent, keys sorted, without ``id``, ``stored``, ``authority``, ``version``.
    content_hash = Varchar(length=64)
    #: The worker the actor names; none for a voiding statement (its actor is the learning system).
    account = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=True, index=True)
    verb = Varchar(length=500)
    #: The id of the statement that voided this one.
    voided_by = UUID(null=True, default=None)
    body = JSON()
    stored_at = Timestamptz(default=TimestamptzNow())


class Suggestion(Table, tablename="suggestion"):
    """An entry an organisation suggests for a worker's record, from a statement or a CSV row.

    Nothing enters the record until the worker accepts: the app then writes an entry whose id is
    the suggestion's own id through the normal sync path, and its arrival marks the suggestion
    ``accepted``. ``rejected`` (by the worker) and ``withdrawn`` (its statement voided) are final:
    the same source (``source_key``) never makes a new suggestion for the worker again.
    """

    id = UUID(primary_key=True)
    owner = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False)
    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, null=False)
    #: ``xapi:<statement id>`` or ``csv:<SHA-256 of the row>``.
    source_key = Varchar(length=80)
    title = Varchar(length=200)
    occurred_on = Date()
    ended_on = Date(null=True, default=None)
    duration_minutes = Integer(default=0)
    activity_type = Varchar(length=32)
    description = Varchar(length=2000, default="")
    #: The statement or the CSV row it came from, kept as evidence.
    evidence = JSON()
    #: ``pending``, ``accepted``, ``rejected`` or ``withdrawn``.
    state = Varchar(length=16, default="pending")
    created_at = Timestamptz(default=TimestamptzNow())
    decided_at = Timestamptz(null=True, default=None)
