"""Indexes Piccolo's column options can't express (see :mod:`cpl.index_migration`)."""

from cpl.index_migration import index_migration

ID = "2026-11-22T23:25:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Composite indexes: one attachment per owner and SHA-256, one link per attachment and entry"

COMPOSITE_INDEXES = [
    "CREATE UNIQUE INDEX attachment_owner_sha256 ON attachment (owner, sha256)",
    "CREATE UNIQUE INDEX attachment_link_attachment_entry ON attachment_link (attachment, entry)",
]


async def forwards():
    return index_migration(ID, "attachments", DESCRIPTION, COMPOSITE_INDEXES)
