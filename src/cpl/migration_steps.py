"""Steps cpl's migrations share. It imports nothing from cpl: a migration never runs application code.

Indexes on tables that may already hold rows are built without blocking writes. On
PostgreSQL that is ``CREATE INDEX CONCURRENTLY``, which cannot run inside a transaction, so
an index migration runs with Piccolo's ``wrap_in_transaction=False`` and each statement
commits on its own. ``IF NOT EXISTS`` lets a run interrupted half-way start again, and an
index a failed concurrent build left INVALID is dropped and built again. SQLite has no
concurrent build: there it is a plain ``CREATE INDEX IF NOT EXISTS``.
"""

from __future__ import annotations

from dataclasses import dataclass

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.base import Engine
from piccolo.engine.finder import engine_finder
from piccolo.querystring import QueryString

APP_NAME = "cpl"


@dataclass(frozen=True)
class Index:
    """An index Piccolo's column options cannot express (several columns, or a partial index)."""

    name: str
    table: str
    #: The indexed columns as SQL, in order: ``"owner, change_seq"``.
    columns: str
    unique: bool = False
    #: A partial index's predicate, without ``WHERE``.
    where: str = ""

    def create_statement(self, concurrently: bool) -> str:
        unique = "UNIQUE " if self.unique else ""
        how = "CONCURRENTLY " if concurrently else ""
        where = f" WHERE {self.where}" if self.where else ""
        return f"CREATE {unique}INDEX {how}IF NOT EXISTS {self.name} ON {self.table} ({self.columns}){where}"


def index_migration(migration_id: str, description: str, indexes: list[Index]) -> MigrationManager:
    """A migration building ``indexes`` outside a transaction (dropping them backwards)."""
    manager = MigrationManager(
        migration_id=migration_id, app_name=APP_NAME, description=description, wrap_in_transaction=False
    )

    async def create_indexes() -> None:
        engine = _engine()
        for index in indexes:
            await _create_index(engine, index)

    async def drop_indexes() -> None:
        engine = _engine()
        how = "CONCURRENTLY " if _on_postgres(engine) else ""
        for index in reversed(indexes):
            await engine.run_ddl(f"DROP INDEX {how}IF EXISTS {index.name}")

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager


def _engine() -> Engine:
    engine = engine_finder()
    if engine is None:
        raise RuntimeError("no database engine: PICCOLO_CONF names no module with DB set")
    return engine


def _on_postgres(engine: Engine) -> bool:
    return engine.engine_type == "postgres"


async def _create_index(engine: Engine, index: Index) -> None:
    if not _on_postgres(engine):
        await engine.run_ddl(index.create_statement(concurrently=False))
        return
    invalid = await engine.run_querystring(
        QueryString(
            "SELECT 1 FROM pg_index JOIN pg_class ON pg_class.oid = pg_index.indexrelid "
            "WHERE pg_class.relname = {} AND NOT pg_index.indisvalid",
            index.name,
        )
    )
    if invalid:
        await engine.run_ddl(f"DROP INDEX CONCURRENTLY IF EXISTS {index.name}")
    await engine.run_ddl(index.create_statement(concurrently=True))
