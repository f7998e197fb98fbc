"""Indexes Piccolo's column options can't express (see :mod:`cpl.index_migration`)."""

from cpl.index_migration import index_migration

ID = "2026-11-23T01:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Composite indexes: a member's roles, a supervisor's links"

COMPOSITE_INDEXES = [
    "CREATE INDEX membership_account_organisation ON membership (account, organisation)",
    "CREATE INDEX supervision_link_supervisor_worker ON supervision_link (supervisor, worker)",
]


async def forwards():
    return index_migration(ID, "organisations", DESCRIPTION, COMPOSITE_INDEXES)
