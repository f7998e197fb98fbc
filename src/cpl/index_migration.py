"""Hand-written migrations that add indexes Piccolo's column options can't express.

Piccolo runs a migration's raw steps before its table steps, so such indexes live in a
migration of their own that follows the one creating the tables.
"""

from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table


class _RawTable(Table):
    pass


def _index_name(statement: str) -> str:
    return statement.split(" INDEX ")[1].split(" ON ")[0]


def index_migration(migration_id: str, app_name: str, description: str, statements: list[str]) -> MigrationManager:
    """A migration running each ``CREATE [UNIQUE] INDEX`` statement forwards, dropping them backwards."""
    manager = MigrationManager(migration_id=migration_id, app_name=app_name, description=description)

    async def create_indexes():
        for statement in statements:
            await _RawTable.raw(statement)

    async def drop_indexes():
        for statement in statements:
            await _RawTable.raw(f"DROP INDEX {_index_name(statement)}")

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
