"""Indexes Piccolo's column options can't express (see :mod:`cpl.index_migration`)."""

from cpl.index_migration import index_migration

ID = "2026-11-23T01:40:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "Composite indexes: the reviewer's queue, the worker's submissions"

COMPOSITE_INDEXES = [
    "CREATE INDEX review_reviewer_queue ON review (reviewer, state, submitted_at, id)",
    "CREATE INDEX review_owner_submitted ON review (owner, submitted_at, id)",
]


async def forwards():
    return index_migration(ID, "reviews", DESCRIPTION, COMPOSITE_INDEXES)
