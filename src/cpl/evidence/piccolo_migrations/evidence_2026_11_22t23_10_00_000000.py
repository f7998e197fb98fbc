"""Indexes Piccolo's column options can't express.

Piccolo runs a migration's raw steps before its table steps, so these follow the
migration that creates the tables.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-22T23:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Composite indexes: sync feed, entry list, idempotency keys"

#: The sync feed, the entry list, and one idempotency record per owner and key.
COMPOSITE_INDEXES = [
    "CREATE UNIQUE INDEX evidence_entry_owner_change_seq ON evidence_entry (owner, change_seq)",
    "CREATE INDEX evidence_entry_owner_occurred ON evidence_entry (owner, occurred_on, id)",
    "CREATE UNIQUE INDEX idempotency_record_owner_key ON idempotency_record (owner, key)",
]


class RawTable(Table):
    pass


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="evidence", description=DESCRIPTION)

    async def create_indexes():
        for statement in COMPOSITE_INDEXES:
            await RawTable.raw(statement)

    async def drop_indexes():
        for statement in COMPOSITE_INDEXES:
            name = statement.split(" INDEX ")[1].split(" ON ")[0]
            await RawTable.raw(f"DROP INDEX {name}")

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
