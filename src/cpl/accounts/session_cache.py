"""Bearer tokens resolved recently, so that most requests skip the session lookup.

Only on PostgreSQL, where the lookup is a network round trip on every request (about a
sixth of a ``PUT``'s cost: bench/RESULTS.md) and where every cpl process can hear of a
revocation made by another. The rules a token obeys are the same as without the cache:

- A revoked session never authenticates again. Revoking drops it from this process's
  cache as soon as the revocation has committed, and announces it with
  ``NOTIFY cpl_session_revoked`` inside the revoking transaction; every cpl process
  LISTENs and drops it when PostgreSQL delivers the notification, moments after the
  commit. A lookup that was under way when a revocation arrived is not cached.
- Nothing is cached while this process is not listening (before its listening connection
  is up, or after it was lost and until it is back), so no revocation is ever missed.
- A cached token stops working at its session's expiry, and is looked up again once the
  session's ``last_used_at`` is due to be written (``token_touch_interval``), so that
  column stays as accurate as before; an account's e-mail, name and admin flag are
  likewise at most that old (confirming a new address changes the e-mail: what needs the
  current, confirmed address reads it from the database, :mod:`cpl.accounts.ownership`).
- A changed or reset password revokes the account's other sessions as above, one
  announcement each (:func:`cpl.accounts.service.revoke_all_sessions`).
- At most ``token_cache_size`` tokens are kept (0: no cache); the oldest go first.

SQLite has no cache: its lookup does not leave the process, and other processes on the
same file could not announce revocations.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import asyncpg
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine

from cpl.db import Sql, on_postgres
from cpl.kernel.principal import Principal

logger = logging.getLogger("cpl.accounts")

CHANNEL = "cpl_session_revoked"
#: The listening connection's ``application_name``, as ``pg_stat_activity`` shows it.
LISTENER_NAME = "cpl session revocations"
#: Seconds between attempts to get the listening connection back after losing it.
RECONNECT_DELAY_SECONDS = 2.0
_ANNOUNCE = Sql(f"SELECT pg_notify('{CHANNEL}', {{}})")


@dataclass(frozen=True)
class _Cached:
    principal: Principal
    good_until: datetime


class SessionCache:
    """One process's (one app's) cache of resolved tokens, keyed by the token's SHA-256."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.listening = False
        #: Bumped by every revocation heard of; a lookup started before a bump is not cached.
        self.generation = 0
        self._entries: dict[str, _Cached] = {}

    def get(self, token_hash: str, now: datetime) -> Principal | None:
        cached = self._entries.get(token_hash)
        if cached is None:
            return None
        if now >= cached.good_until:
            del self._entries[token_hash]
            return None
        return cached.principal

    def put(self, token_hash: str, principal: Principal, good_until: datetime, generation: int) -> None:
        """Keep a lookup's result, unless a revocation was heard of since it started."""
        if not self.listening or generation != self.generation or self.capacity == 0:
            return
        if len(self._entries) >= self.capacity:
            del self._entries[next(iter(self._entries))]
        self._entries[token_hash] = _Cached(principal, good_until)

    def forget(self, session_id: UUID) -> None:
        """Drop the session's token (a revocation has committed)."""
        self.generation += 1
        for token_hash, cached in list(self._entries.items()):
            if cached.principal.session_id == session_id:
                del self._entries[token_hash]

    def _stop_listening(self) -> None:
        self.listening = False
        self.generation += 1
        self._entries.clear()

    def _heard(self, _connection: object, _pid: int, _channel: str, payload: str) -> None:
        with contextlib.suppress(ValueError):
            self.forget(UUID(payload))

    async def listen(self, dsn: str, connected: asyncio.Event) -> None:
        """Hold a connection LISTENing for revocations, reconnecting whenever it is lost."""
        while True:
            lost = asyncio.Event()
            connection = None
            try:
                connection = await asyncpg.connect(dsn, server_settings={"application_name": LISTENER_NAME})
                connection.add_termination_listener(lambda _, lost=lost: lost.set())
                await connection.add_listener(CHANNEL, self._heard)
                self.listening = True
                connected.set()
                await lost.wait()
                logger.warning("lost the connection listening for session revocations; token cache off")
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
                logger.warning("cannot listen for session revocations (%s); token cache off", error)
            finally:
                self._stop_listening()
                if connection is not None and not connection.is_closed():
                    await connection.close()
            await asyncio.sleep(RECONNECT_DELAY_SECONDS)


async def announce_revoked(session_id: UUID) -> None:
    """Tell every cpl process, once the caller's transaction commits, that the session ended."""
    if on_postgres():
        await _ANNOUNCE.rows(str(session_id))


@contextlib.asynccontextmanager
async def listening(cache: SessionCache, engine: Engine) -> AsyncIterator[None]:
    """Keep the cache informed of revocations while the app runs (PostgreSQL only).

    Start-up waits briefly for the listening connection; without it the app runs
    uncached, and keeps trying in the background.
    """
    if not isinstance(engine, PostgresEngine) or cache.capacity == 0:
        yield
        return
    connected = asyncio.Event()
    task = asyncio.create_task(cache.listen(engine.config["dsn"], connected))
    try:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(connected.wait(), timeout=5)
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
