"""A worker's credential subject names one account only, built outside a transaction (see :mod:`cpl.migration_steps`).

Not ``unique=True`` on the column: SQLite cannot add a UNIQUE column to an existing table.
"""

from cpl.migration_steps import Index, index_migration

ID = "2026-12-03T07:19:02:000000"
VERSION = "1.38.0"
DESCRIPTION = "One account per credential subject (issue 17)"

INDEXES = [
    #: Two accounts never share the urn:uuid their credentials name them by (NULLs, not yet made, are distinct).
    Index("account_credential_subject", "account", "credential_subject", unique=True),
]


async def forwards():
    return index_migration(ID, DESCRIPTION, INDEXES)
