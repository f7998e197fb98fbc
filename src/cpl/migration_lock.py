"""One process at a time migrates a database, so servers started together all come up.

PostgreSQL: a session-level advisory lock on a connection of its own, held around the
whole run. It is taken with ``pg_try_advisory_lock`` in a loop rather than by blocking in
``pg_advisory_lock``: a blocked statement keeps a snapshot open, the holder's
``CREATE INDEX CONCURRENTLY`` waits for every older snapshot to end, and PostgreSQL
reports the two waiting on each other as a deadlock (seen with PostgreSQL 15).
SQLite: an exclusive transaction on a lock file beside the database (the file lock SQLite
itself uses, on every platform). Either lock dies with its process, so a crashed migration
never leaves the database locked.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg

from cpl.errors import DatabaseUnavailable
from cpl.private_files import private_file
from cpl.settings import Settings

#: The advisory lock's key: ``cpl_migr`` in ASCII, unlikely to meet another application's key.
ADVISORY_LOCK_KEY = int.from_bytes(b"cpl_migr", "big")
#: How long a process waits for another one's migrations before giving up.
WAIT_SECONDS = 600
_POLL_SECONDS = 0.2

logger = logging.getLogger(__name__)


@asynccontextmanager
async def migration_lock(settings: Settings, sqlite_path: Path | None) -> AsyncIterator[None]:
    """Hold the database's migration lock for the body (``sqlite_path`` for SQLite databases)."""
    if sqlite_path is None:
        async with _advisory_lock(settings.resolved_database_url):
            yield
    else:
        async with _lock_file(sqlite_path.with_name(f"{sqlite_path.name}-migration-lock")):
            yield


@asynccontextmanager
async def _advisory_lock(url: str) -> AsyncIterator[None]:
    try:
        connection = await asyncpg.connect(url)
    except Exception as error:  # OSError and asyncpg's own hierarchy alike
        raise DatabaseUnavailable(f"cannot reach the database: {error}") from error
    try:
        await _take_advisory_lock(connection)
        yield
    finally:
        await connection.close()  # ends the session, and the lock with it


async def _take_advisory_lock(connection: asyncpg.Connection) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    if await connection.fetchval("SELECT pg_try_advisory_lock($1)", ADVISORY_LOCK_KEY):
        return
    logger.warning("waiting for another process to finish migrating the database")
    while not await connection.fetchval("SELECT pg_try_advisory_lock($1)", ADVISORY_LOCK_KEY):
        if time.monotonic() > deadline:
            raise TimeoutError(f"another process held the migration lock for over {WAIT_SECONDS} s")
        await asyncio.sleep(_POLL_SECONDS)


@asynccontextmanager
async def _lock_file(path: Path) -> AsyncIterator[None]:
    connection = await asyncio.to_thread(_lock_exclusively, path)
    try:
        yield
    finally:
        connection.close()  # rolls the empty transaction back, releasing the lock


def _lock_exclusively(path: Path) -> sqlite3.Connection:
    private_file(path)
    connection = sqlite3.connect(path, timeout=WAIT_SECONDS, isolation_level=None, check_same_thread=False)
    try:
        connection.execute("BEGIN EXCLUSIVE")
    except sqlite3.OperationalError as error:
        connection.close()
        raise TimeoutError(f"another process held the migration lock for over {WAIT_SECONDS} s") from error
    return connection
