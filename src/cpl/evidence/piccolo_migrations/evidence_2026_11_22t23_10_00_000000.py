"""Indexes Piccolo's column options can't express (see :mod:`cpl.index_migration`)."""

from cpl.index_migration import index_migration

ID = "2026-11-22T23:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Composite indexes: sync feed, entry list, idempotency keys"

#: The sync feed, the entry list, and one idempotency record per owner and key.
COMPOSITE_INDEXES = [
    "CREATE UNIQUE INDEX evidence_entry_owner_change_seq ON evidence_entry (owner, change_seq)",
    "CREATE INDEX evidence_entry_owner_occurred ON evidence_entry (owner, occurred_on, id)",
    "CREATE UNIQUE INDEX idempotency_record_owner_key ON idempotency_record (owner, key)",
]


async def forwards():
    return index_migration(ID, "evidence", DESCRIPTION, COMPOSITE_INDEXES)
