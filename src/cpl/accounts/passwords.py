"""Password hashing with argon2id (OWASP Password Storage Cheat Sheet), off the event loop, a few at a time.

Each hash takes ``argon2_memory_cost_kib`` of memory (64 MiB by default) and a core for its
duration. Unbounded, 40 sign-ups at once took a server from ~200 MB to 2 GB (issue 14), so a
process runs at most ``argon2_max_concurrent`` hashes at once (default: one per CPU core it
may use; more would only queue inside the CPU); the rest wait their turn on the event loop,
holding no memory, and one that has waited ``argon2_queue_timeout`` answers 503 with
``Retry-After`` instead of piling up.
"""

from __future__ import annotations

import asyncio
import math
import os
import weakref
from functools import lru_cache

import anyio
import anyio.to_thread
from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from cpl.errors import Overloaded
from cpl.settings import Settings

#: One bound per event loop (one per server process), per size; nothing is shared across loops.
_GATES: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, anyio.CapacityLimiter]] = (
    weakref.WeakKeyDictionary()
)


@lru_cache(maxsize=8)
def _hasher(time_cost: int, memory_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism, type=Type.ID)


def _hasher_for(settings: Settings) -> PasswordHasher:
    return _hasher(settings.argon2_time_cost, settings.argon2_memory_cost_kib, settings.argon2_parallelism)


@lru_cache(maxsize=8)
def _decoy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash("cpl decoy password: verified when the e-mail is unknown")


def hashes_at_once(settings: Settings) -> int:
    """The configured bound, or the CPU cores this process may run on."""
    if settings.argon2_max_concurrent:
        return settings.argon2_max_concurrent
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _gate(settings: Settings) -> anyio.CapacityLimiter:
    size = hashes_at_once(settings)
    gates = _GATES.setdefault(asyncio.get_running_loop(), {})
    if size not in gates:
        gates[size] = anyio.CapacityLimiter(size)
    return gates[size]


async def _run_bounded(settings: Settings, work, *args):
    """Run one hash in a worker thread once a place is free, or refuse (503) after waiting too long."""
    gate = _gate(settings)
    timeout = settings.argon2_queue_timeout.total_seconds()
    with anyio.move_on_after(timeout) as waited:
        await gate.acquire()
    if waited.cancelled_caught:
        raise Overloaded(
            "The service is busy checking other passwords; try again shortly.",
            headers={"Retry-After": str(max(1, math.ceil(timeout)))},
        )
    try:
        return await anyio.to_thread.run_sync(work, *args)
    finally:
        gate.release()


async def hash_password(settings: Settings, password: str) -> str:
    return await _run_bounded(settings, _hasher_for(settings).hash, password)


async def verify_password(settings: Settings, password_hash: str | None, password: str) -> bool:
    """Check a password; with no hash (unknown e-mail) verify a decoy so timing tells nothing."""
    hasher = _hasher_for(settings)

    def check() -> bool:
        try:
            return hasher.verify(password_hash or _decoy_hash(hasher), password) and password_hash is not None
        except (VerificationError, InvalidHashError):
            return False

    return await _run_bounded(settings, check)
