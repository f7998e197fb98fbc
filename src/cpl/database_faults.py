"""A PostgreSQL database that refuses, hangs or drops connections costs a request a bounded
time and answers 503, and the service carries on by itself once the database is back.

Three parts:

- :class:`BoundedPool`: every connection taken from the pool waits at most the connect
  timeout (a partitioned server otherwise holds ``acquire`` for ever); the pool's
  connections carry asyncpg's ``command_timeout`` (the statement timeout), so a statement
  whose answer never comes fails instead of hanging. Broken connections are thrown away
  and new ones opened on demand, so the pool recovers without a restart.
- :func:`is_database_outage`: which errors mean "the database is unreachable" (as opposed
  to a bug): refused or reset connections, timeouts, PostgreSQL's connection-exception
  class (08), shutdown and cancelled-statement errors, too many connections.
- :class:`OutageLog`: one warning when an outage starts and one line when it ends (with the
  number of requests answered 503 meanwhile), instead of a traceback per request; a probe
  watches for the end (PostgreSQL only: SQLite is a file and has no such outage).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
from asyncpg import exceptions as pg

logger = logging.getLogger("cpl.database")

#: PostgreSQL errors that say the server cannot serve now, not that the statement is wrong.
_UNAVAILABLE = (
    pg.PostgresConnectionError,  # class 08, including a connection that no longer exists
    pg.OperatorInterventionError,  # class 57: admin or crash shutdown, cannot connect now, statement timeout
    pg.TooManyConnectionsError,
    pg.ConnectionFailureError,
    asyncpg.InterfaceError,  # "connection is closed", "pool is closing"
)
#: What the network says when the server is down or unreachable.
_NETWORK = (ConnectionError, TimeoutError, socket.gaierror)


def is_database_outage(error: BaseException) -> bool:
    """Whether ``error`` (or what caused it) means the database could not be reached in time."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, _UNAVAILABLE + _NETWORK):
            return True
        seen = seen.__cause__ or seen.__context__
        if seen is error:
            return False
    return False


def describe(error: BaseException) -> str:
    """``Kind: message``, or the kind alone for errors that say nothing (a bare TimeoutError)."""
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def log_background_failure(logger: logging.Logger, message: str, *args: object) -> None:
    """From an ``except`` block of background work (jobs, heartbeats, scheduled work): a database
    outage is one warning line naming it (the work retries by itself, the outage has its own log
    line); anything else is logged with its traceback, as the bug it is."""
    error = sys.exc_info()[1]
    if error is not None and is_database_outage(error):
        logger.warning(message + " (%s)", *args, describe(error))
    else:
        logger.exception(message, *args)


class BoundedPool(asyncpg.Pool):
    """asyncpg's pool whose ``acquire`` gives up after ``acquire_timeout`` seconds unless told otherwise."""

    __slots__ = ("acquire_timeout",)

    def acquire(self, *, timeout: float | None = None) -> Any:
        return super().acquire(timeout=self.acquire_timeout if timeout is None else timeout)


class OneLineReconnects(logging.Filter):
    """asyncpg's pool logs a traceback each time it fails to reopen its minimum of connections
    (every 1, 2, 4… s during an outage); the error's one line says all that matters."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None and is_database_outage(record.exc_info[1]):
            error = record.exc_info[1]
            record.msg, record.args = f"{record.getMessage()} ({describe(error)})", None
            record.exc_info, record.exc_text = None, None
        return True


async def open_bounded_pool(dsn: str, *, acquire_timeout: float, **options: Any) -> BoundedPool:
    """A :class:`BoundedPool` opened with asyncpg's ``create_pool`` options (``min_size``, ``command_timeout``…)."""
    pool_logger = logging.getLogger("asyncpg.pool")
    if not any(isinstance(found, OneLineReconnects) for found in pool_logger.filters):
        pool_logger.addFilter(OneLineReconnects())
    pool = BoundedPool(
        dsn,
        connection_class=asyncpg.Connection,
        record_class=asyncpg.Record,
        loop=None,
        max_queries=50_000,
        **{"connect": None, "setup": None, "init": None, **options},
    )
    pool.acquire_timeout = acquire_timeout
    return await pool


class OutageLog:
    """Logs an outage of the database once, watches for its end, and counts what it cost."""

    def __init__(self, probe: Callable[[], Awaitable[bool]], probe_interval: float = 1.0) -> None:
        self._probe = probe
        self._interval = probe_interval
        self._watcher: asyncio.Task[None] | None = None
        self._started = 0.0
        self.refused = 0

    @property
    def ongoing(self) -> bool:
        return self._watcher is not None and not self._watcher.done()

    def failed(self, error: BaseException) -> None:
        """A request could not reach the database: start an incident, or count one more in it."""
        self.refused += 1
        if self.ongoing:
            return
        self._started, self.refused = time.monotonic(), 1
        logger.warning("database unreachable (%s); answering 503 until it is back", describe(error))
        self._watcher = asyncio.get_running_loop().create_task(self._watch())

    async def _watch(self) -> None:
        while True:
            if await self._probe():
                break
            await asyncio.sleep(self._interval)
        logger.warning(
            "database reachable again after %.1f s; %d request(s) were answered 503",
            time.monotonic() - self._started,
            self.refused,
        )

    async def close(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher
