"""The one place cpl's database engine is built and bound to the tables (:mod:`cpl.migrate` migrates it).

SQLite (the embedded default) runs in WAL mode with a busy timeout, and every write
transaction is ``BEGIN IMMEDIATE`` so concurrent writers queue for the lock instead of
failing with "database is locked" on upgrade from a read lock; within one process they
queue in order on :class:`~cpl.sqlite_engine.QueuedSQLiteEngine`'s lock. PostgreSQL runs
on an asyncpg pool opened in the app's lifespan.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import asyncpg
from piccolo.apps.migrations.tables import Migration
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.querystring import QueryString

from cpl.database_faults import open_bounded_pool
from cpl.errors import DatabaseUnavailable
from cpl.private_files import keep_private_if_present, private_file, private_folder
from cpl.settings import Settings
from cpl.sqlite_engine import QueuedSQLiteEngine


def build_engine(settings: Settings) -> Engine:
    """Build the engine named by the settings' database URL (no pool is opened yet)."""
    path = sqlite_path(settings)
    if path is None:
        return PostgresEngine(config={"dsn": settings.resolved_database_url}, extensions=())
    if not path.parent.exists():  # a folder the operator chose (/srv, /tmp) keeps its own permissions
        private_folder(path.parent)
    _keep_private(path)
    _enable_wal(path)
    return QueuedSQLiteEngine(path=str(path), timeout=settings.sqlite_busy_timeout_seconds)


def sqlite_path(settings: Settings) -> Path | None:
    """The SQLite file the settings name, or ``None`` for PostgreSQL."""
    url = settings.resolved_database_url
    if settings.uses_postgres:
        return None
    if not url.startswith("sqlite:///"):
        raise ValueError(f"CPL_DATABASE_URL must be sqlite:///path or postgres://…, got {url!r}")
    return Path(urlsplit(url).path)


def _keep_private(path: Path) -> None:
    """The database file is the service's alone (0600); SQLite gives its ``-wal`` and ``-shm``
    files the database file's permissions, and existing ones are made private too."""
    private_file(path)
    for suffix in ("-wal", "-shm"):
        keep_private_if_present(path.with_name(path.name + suffix))


def _enable_wal(path: Path) -> None:
    """WAL lets readers run beside the single writer; the mode is stored in the file."""
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=WAL")


def bind_engine(engine: Engine) -> None:
    """Point every cpl table, and Piccolo's migration machinery, at ``engine``."""
    from cpl import piccolo_conf  # imports every app's tables, so only once the app is built

    os.environ["PICCOLO_CONF"] = piccolo_conf.__name__
    piccolo_conf.DB = engine
    registry = piccolo_conf.APP_REGISTRY
    for app_config in registry.app_configs.values():
        for table in app_config.table_classes:
            table._meta.db = engine
    Migration._meta.db = engine


def _bound_engine() -> Engine:
    from cpl import piccolo_conf

    if piccolo_conf.DB is None:
        raise RuntimeError("no database engine is bound; call cpl.db.bind_engine first")
    return piccolo_conf.DB


def on_postgres() -> bool:
    """Whether the bound engine is PostgreSQL (for the few statements that differ by database)."""
    return isinstance(_bound_engine(), PostgresEngine)


class Sql:
    """A statement written once, with ``{}`` placeholders as in Piccolo's ``Table.raw``.

    For the statements every request runs (bearer-token lookup, creating an entry). On
    PostgreSQL it goes straight to asyncpg — on the current transaction's connection, or
    one from the pool — which prepares it once per connection; Piccolo's ``raw`` rebuilt
    and re-numbered the query string and copied the rows on every call (~15 % of a
    ``PUT``'s CPU: bench/RESULTS.md). On SQLite it runs through the engine as ``raw`` does.
    JSON columns come back as text on both.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.postgres_text = text.format(*(f"${number}" for number in range(1, text.count("{}") + 1)))

    async def rows(self, *args: Any) -> list[dict[str, Any]]:
        engine = _bound_engine()
        if isinstance(engine, PostgresEngine):
            transaction = engine.current_transaction.get()
            if transaction is not None:
                return [dict(record) for record in await transaction.connection.fetch(self.postgres_text, *args)]
            if engine.pool is not None:
                return [dict(record) for record in await engine.pool.fetch(self.postgres_text, *args)]
        return engine.transform_response_to_dicts(await engine.run_querystring(QueryString(self.text, *args)))

    async def records(self, *args: Any) -> Sequence[Mapping[str, Any]]:
        """Rows to read only, for statements returning very many (a reminders run reads a million
        entries' summaries): on PostgreSQL asyncpg's records as they come, no dict made per row."""
        engine = _bound_engine()
        if isinstance(engine, PostgresEngine):
            transaction = engine.current_transaction.get()
            if transaction is not None:
                return await transaction.connection.fetch(self.postgres_text, *args)
            if engine.pool is not None:
                return await engine.pool.fetch(self.postgres_text, *args)
        return await self.rows(*args)


def write_transaction():
    """A transaction for writes on the bound engine.

    ``BEGIN IMMEDIATE`` on SQLite takes the write lock up front (waiting up to the busy
    timeout); PostgreSQL's row locks need nothing special.
    """
    engine = _bound_engine()
    if isinstance(engine, SQLiteEngine):
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()


def in_transaction() -> bool:
    """Whether the caller runs inside a transaction on the bound engine (events need one)."""
    return _bound_engine().current_transaction.get() is not None


async def _keep_session(connection: asyncpg.Connection) -> None:
    """Reset nothing more when a connection goes back to the pool.

    asyncpg rolls back a transaction left open in any case; its default reset also runs
    ``pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL`` — a round trip on every
    release, for session state (advisory locks, cursors, LISTEN, ``SET``) cpl never uses.
    Code that needs such state must use its transaction-scoped form (``SET LOCAL``,
    ``pg_advisory_xact_lock``).
    """


async def open_database(engine: Engine, settings: Settings, *, statement_timeout: bool = True) -> None:
    """Open the pool (PostgreSQL) and prove the database answers; fail loudly if not.

    The pool's waits are bounded by the settings (:mod:`cpl.database_faults`); with
    ``statement_timeout=False`` (migrations, which may build an index for minutes) statements are not.
    """
    try:
        if isinstance(engine, PostgresEngine):
            engine.pool = await open_bounded_pool(
                engine.config["dsn"],
                acquire_timeout=settings.database_connect_timeout_seconds,
                timeout=settings.database_connect_timeout_seconds,
                command_timeout=(settings.database_statement_timeout_seconds or None) if statement_timeout else None,
                min_size=settings.postgres_pool_min_size,
                max_size=settings.postgres_pool_max_size,
                reset=_keep_session,
                # Idle connections stay open (between min and max size): asyncpg's inactivity
                # timer otherwise re-arms a timer on every release and cancels it on every acquire.
                max_inactive_connection_lifetime=0,
            )
        if isinstance(engine, QueuedSQLiteEngine):
            engine.start()
        await engine.run_ddl("SELECT 1")
    except Exception as error:  # sqlite3, OSError and asyncpg's own hierarchy alike
        await close_database(engine)  # what did open must not outlive the failed start-up
        raise DatabaseUnavailable(f"cannot reach the database: {error}") from error


#: How long closing waits for the pool's connections to be given back before cutting them:
#: a connection stuck behind a dead network would otherwise hold the process open for ever.
POOL_CLOSE_SECONDS = 5.0


async def close_database(engine: Engine) -> None:
    if isinstance(engine, PostgresEngine) and engine.pool is not None:
        pool = engine.pool
        try:
            async with asyncio.timeout(POOL_CLOSE_SECONDS):
                await engine.close_connection_pool()
        except TimeoutError:
            pool.terminate()
            engine.pool = None
    if isinstance(engine, QueuedSQLiteEngine):
        await engine.stop()


async def database_reachable(engine: Engine, within: float = 2.0) -> bool:
    """Whether the database answers ``SELECT 1`` within ``within`` seconds."""
    try:
        async with asyncio.timeout(within):
            await engine.run_ddl("SELECT 1")
    except Exception:  # any failure to answer means "not reachable" for /health
        return False
    return True


def like_literal(value: str) -> str:
    """``value`` lower-cased, as a literal inside a ``LIKE … ESCAPE '\\'`` pattern."""
    return value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def compact_sqlite(settings: Settings) -> None:
    """Rewrite the SQLite file without its free pages and empty the WAL (blocking: run in a thread).

    Deleted rows leave their bytes in free pages and in WAL frames until overwritten; an erasure
    must not leave a person's data readable in the file, so it ends with ``VACUUM`` (which
    rebuilds the file from live rows) and a truncating checkpoint. Erasures are rare, and the
    cost is one copy of the database. Nothing to do on PostgreSQL: ``pg_dump`` and every query
    see only live rows, and autovacuum reclaims dead ones.
    """
    path = sqlite_path(settings)
    if path is None:
        return
    with sqlite3.connect(path, timeout=settings.sqlite_busy_timeout_seconds, isolation_level=None) as connection:
        connection.execute("VACUUM")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
