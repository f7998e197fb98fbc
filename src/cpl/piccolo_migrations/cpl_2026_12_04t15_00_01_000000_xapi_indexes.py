"""Indexes of the xAPI tables over several columns (see :mod:`cpl.migration_steps`)."""

from cpl.migration_steps import Index, index_migration

ID = "2026-12-04T15:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "xAPI statement ids unique per organisation; one suggestion per source and worker; one consent each (issue 19)"
)

INDEXES = [
    #: A statement id once per organisation: the same id again is a replay or a conflict.
    Index("xapi_statement_organisation_statement", "xapi_statement", "organisation, statement_id", unique=True),
    #: One suggestion per organisation, worker and source: a rejected one never comes back.
    Index("suggestion_organisation_owner_source", "suggestion", "organisation, owner, source_key", unique=True),
    #: A worker's suggestions waiting for them, newest first.
    Index("suggestion_owner_state_created", "suggestion", "owner, state, created_at"),
    #: One consent per worker and organisation.
    Index("suggestion_consent_account_organisation", "suggestion_consent", "account, organisation", unique=True),
]


async def forwards():
    return index_migration(ID, DESCRIPTION, INDEXES)
