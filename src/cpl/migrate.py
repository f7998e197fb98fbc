"""Bringing a database to the head of cpl's one migration history.

Every table's migrations form one chain (``cpl/piccolo_migrations``, one Piccolo app), run
in the order of their IDs, one process at a time (:mod:`cpl.migration_lock`). The chain
starts with a baseline that replaced the eleven per-domain chains of the previous release:
a database that release made already has the baseline's schema, so the baseline is
recorded as applied there and the chain continues from it.
"""

from __future__ import annotations

from types import ModuleType

from piccolo.apps.migrations.commands.base import BaseMigrationManager
from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.apps.migrations.tables import Migration

from cpl import db
from cpl.migration_lock import migration_lock
from cpl.migration_steps import APP_NAME
from cpl.settings import Settings


class MigrationError(RuntimeError):
    """The database cannot be brought to the chain's head; nothing was changed."""


async def migrate_database(settings: Settings) -> None:
    """Open the settings' database, apply every pending migration under the lock, and close it again."""
    engine = db.build_engine(settings)
    await db.open_database(engine, settings, statement_timeout=False)
    try:
        # Importing every table and every migration takes seconds and needs no lock, so it is done
        # before taking it: nodes started together (``cpl serve`` migrates first) then wait for each
        # other only while one of them looks at the database, not through each other's imports.
        db.bind_engine(engine)
        _load_chain()
        async with migration_lock(settings, db.sqlite_path(settings)):
            await _migrate()
    finally:
        await db.close_database(engine)


def _load_chain() -> dict[str, ModuleType]:
    """The chain's migration modules by ID, imported (Piccolo's later imports find them loaded)."""
    manager = BaseMigrationManager()
    return manager.get_migration_modules(manager.get_app_config(APP_NAME).resolved_migrations_folder_path)


async def _migrate() -> None:
    manager = BaseMigrationManager()
    await manager.create_migration_table()
    await _adopt_previous_release()
    result = await run_forwards(app_name=APP_NAME)
    if not result.success:
        raise MigrationError(f"migrations failed: {result.message}")


async def _adopt_previous_release() -> None:
    """Record the baseline as applied on a database the previous release's chains made."""
    recorded = {(row["app_name"], row["name"]) for row in await Migration.select(Migration.app_name, Migration.name)}
    previous = {(app, name) for app, name in recorded if app != APP_NAME}
    if not previous or previous != recorded:
        return  # an empty database, or one on this chain already
    chain = _load_chain()
    baseline = chain[min(chain)]
    if previous != baseline.REPLACES:
        missing = sorted(baseline.REPLACES - previous)
        unknown = sorted(previous - baseline.REPLACES)
        raise MigrationError(
            "this database was made by a development version of cpl, not by its previous release "
            f"(migrations missing: {missing}; not from that release: {unknown}); start from an empty database"
        )
    await Migration.insert(Migration(name=baseline.ID, app_name=APP_NAME))
