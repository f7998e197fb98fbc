"""Password hashing with argon2id (OWASP Password Storage Cheat Sheet), off the event loop."""

from __future__ import annotations

from functools import lru_cache

import anyio.to_thread
from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from cpl.settings import Settings


@lru_cache(maxsize=8)
def _hasher(time_cost: int, memory_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism, type=Type.ID)


def _hasher_for(settings: Settings) -> PasswordHasher:
    return _hasher(settings.argon2_time_cost, settings.argon2_memory_cost_kib, settings.argon2_parallelism)


@lru_cache(maxsize=8)
def _decoy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash("cpl decoy password: verified when the e-mail is unknown")


async def hash_password(settings: Settings, password: str) -> str:
    return await anyio.to_thread.run_sync(_hasher_for(settings).hash, password)


async def verify_password(settings: Settings, password_hash: str | None, password: str) -> bool:
    """Check a password; with no hash (unknown e-mail) verify a decoy so timing tells nothing."""
    hasher = _hasher_for(settings)

    def check() -> bool:
        try:
            return hasher.verify(password_hash or _decoy_hash(hasher), password) and password_hash is not None
        except (VerificationError, InvalidHashError):
            return False

    return await anyio.to_thread.run_sync(check)
