"""Indexes Piccolo's column options can't express.

Piccolo runs a migration's raw steps before its table steps, so these follow the
migration that creates the tables.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-22T23:25:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Composite indexes: one attachment per owner and SHA-256, one link per attachment and entry"

COMPOSITE_INDEXES = [
    "CREATE UNIQUE INDEX attachment_owner_sha256 ON attachment (owner, sha256)",
    "CREATE UNIQUE INDEX attachment_link_attachment_entry ON attachment_link (attachment, entry)",
]


class RawTable(Table):
    pass


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="attachments", description=DESCRIPTION)

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
