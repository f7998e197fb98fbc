"""Piccolo's SQLite engine, with its connections kept open and writers queued in-process.

Piccolo's own ``SQLiteEngine`` opens a new aiosqlite connection (a new thread, the file
opened and its schema parsed) for every query outside a transaction and for every
transaction, and runs ``PRAGMA foreign_keys`` before every statement; and SQLite's busy
handler makes concurrent ``BEGIN IMMEDIATE`` writers sleep and retry, so the write lock
sits free while they sleep and the wait is a lottery (multi-second p99 and, after the
busy timeout, "database is locked": bench/RESULTS.md). Here:

- connections are kept open between uses (up to ``MAX_IDLE`` idle ones), each with
  foreign keys switched on once;
- the writers of this process take an ``asyncio.Lock`` first — write transactions and
  single writing statements alike — so they queue first come, first served, and SQLite's
  busy timeout only ever waits for another process.
"""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any

import aiosqlite
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType, dict_factory

#: Idle connections kept open; more may be open while busy, and are closed when returned.
MAX_IDLE = 8
_WRITING = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")
_WRITE_TRANSACTIONS = (TransactionType.immediate, TransactionType.exclusive)


def _writes(statement: str) -> bool:
    """Whether a statement run on its own may take SQLite's write lock (cpl writes no
    ``WITH … INSERT`` on SQLite, so the first word tells)."""
    return statement.lstrip()[:7].upper().startswith(_WRITING)


class QueuedSQLiteEngine(SQLiteEngine):
    """Between :meth:`start` and :meth:`stop` (the app's lifespan) connections are reused;
    outside it every use opens and closes its own, as Piccolo's engine does."""

    def __init__(self, path: str, timeout: float) -> None:
        if sqlite3.sqlite_version_info < (3, 35):
            raise RuntimeError(f"cpl needs SQLite 3.35 or newer (RETURNING); this is {sqlite3.sqlite_version}")
        super().__init__(path=path, timeout=timeout)
        self.write_lock = asyncio.Lock()
        self._idle: list[aiosqlite.Connection] = []
        self._reusing = False

    def start(self) -> None:
        self._reusing = True

    async def stop(self) -> None:
        self._reusing = False
        idle, self._idle = self._idle, []
        for connection in idle:
            await connection.close()

    async def checkout(self) -> aiosqlite.Connection:
        if self._idle:
            return self._idle.pop()
        connection = await aiosqlite.connect(**self.connection_kwargs)
        connection.row_factory = dict_factory
        await connection.execute("PRAGMA foreign_keys = 1")
        return connection

    async def checkin(self, connection: aiosqlite.Connection) -> None:
        """Keep the connection for the next use, unless it is left inside a transaction."""
        if self._reusing and len(self._idle) < MAX_IDLE and not connection.in_transaction:
            self._idle.append(connection)
        else:
            await connection.close()

    # Piccolo also passes ``query_type`` and ``table``, needed only below SQLite 3.35.
    async def _run_in_new_connection(self, query: str, args: list[Any] | None = None, **_: Any) -> list:
        if _writes(query):
            async with self.write_lock:
                return await self._run_alone(query, args)
        return await self._run_alone(query, args)

    async def _run_alone(self, query: str, args: list[Any] | None) -> list:
        connection = await self.checkout()
        try:
            return list(await connection.execute_fetchall(query, args or []))
        finally:
            await self.checkin(connection)

    async def _run_in_existing_connection(
        self, connection: aiosqlite.Connection, query: str, args: list[Any] | None = None, **_: Any
    ) -> list:
        return list(await connection.execute_fetchall(query, args or []))

    def transaction(
        self, transaction_type: TransactionType = TransactionType.deferred, allow_nested: bool = True
    ) -> QueuedSQLiteTransaction:
        return QueuedSQLiteTransaction(engine=self, transaction_type=transaction_type, allow_nested=allow_nested)


class QueuedSQLiteTransaction(SQLiteTransaction):
    """A transaction on a reused connection; a writing one first waits its turn for the lock."""

    __slots__ = ()
    engine: QueuedSQLiteEngine

    @property
    def writing(self) -> bool:
        return self.transaction_type in _WRITE_TRANSACTIONS

    async def __aenter__(self) -> SQLiteTransaction:
        if self._parent is not None:
            return self._parent
        if self.writing:
            await self.engine.write_lock.acquire()
        self.connection = None
        try:
            self.connection = await self.engine.checkout()
            await self.begin()
        except BaseException:
            await self._let_go()
            raise
        self.context = self.engine.current_transaction.set(self)
        return self

    async def __aexit__(self, exception_type, exception, traceback) -> bool:
        if self._parent:
            return exception is None
        try:
            if exception is not None and not self._rolled_back:
                await self.rollback()
            elif exception is None and not (self._committed or self._rolled_back):
                await self.commit()
        finally:
            self.engine.current_transaction.reset(self.context)
            await self._let_go()
        return exception is None

    async def _let_go(self) -> None:
        """Return the connection (closed instead if a failure left it inside the transaction)
        and give the next writer its turn."""
        try:
            if self.connection is not None:
                await self.engine.checkin(self.connection)
        finally:
            if self.writing:
                self.engine.write_lock.release()
