"""Indexes Piccolo's column options can't express (see :mod:`cpl.index_migration`)."""

from cpl.index_migration import index_migration

ID = "2026-11-23T01:40:02:000000"
VERSION = "1.38.0"
DESCRIPTION = "Composite index: a recipient's newest notifications"

COMPOSITE_INDEXES = [
    "CREATE INDEX notification_recipient_created ON notification (recipient, created_at)",
]


async def forwards():
    return index_migration(ID, "notifications", DESCRIPTION, COMPOSITE_INDEXES)
