"""Service settings, read from ``CPL_*`` environment variables when (and only when) built."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything the service can be configured with.

    The defaults are the embedded ones: a SQLite file and local file storage under
    ``data_dir``, so ``cpl serve`` works on a fresh machine with nothing else installed.
    """

    model_config = SettingsConfigDict(env_prefix="CPL_", frozen=True)

    data_dir: Path = Path("cpl-data")
    #: ``sqlite:///path/to/file.sqlite3`` or ``postgres://user@host:port/db``. Empty: SQLite in data_dir.
    database_url: str = ""
    sqlite_busy_timeout_seconds: float = Field(default=15.0, gt=0)
    postgres_pool_min_size: int = Field(default=2, ge=1)
    postgres_pool_max_size: int = Field(default=20, ge=1)

    #: Lifetime of a bearer token from the moment it is issued.
    token_ttl: timedelta = timedelta(days=30)
    #: A token's last-used time is written at most this often, to keep reads cheap.
    token_touch_interval: timedelta = timedelta(minutes=5)

    #: Failed logins allowed per account (and per client address) inside ``login_window``.
    login_failures_per_account: int = Field(default=5, ge=1)
    login_failures_per_address: int = Field(default=20, ge=1)
    login_window: timedelta = timedelta(minutes=15)

    #: Argon2id cost (RFC 9106 second recommended option, tuned for a small server).
    argon2_time_cost: int = Field(default=3, ge=1)
    argon2_memory_cost_kib: int = Field(default=65536, ge=8)
    argon2_parallelism: int = Field(default=1, ge=1)

    #: Largest JSON request body accepted; larger ones get 413.
    max_json_body_bytes: int = Field(default=1_048_576, ge=1024)
    #: How long an unfinished ``Idempotency-Key`` blocks a retry before it can be taken over.
    idempotency_lock_timeout: timedelta = timedelta(seconds=60)
    #: How long a finished ``Idempotency-Key`` response is kept for replay.
    idempotency_retention: timedelta = timedelta(days=7)

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    workers: int = Field(default=1, ge=1)

    @property
    def resolved_database_url(self) -> str:
        """The configured database URL, or the embedded SQLite file under ``data_dir``."""
        return self.database_url or f"sqlite:///{(self.data_dir / 'cpl.sqlite3').resolve()}"

    @property
    def uses_postgres(self) -> bool:
        return self.resolved_database_url.startswith(("postgres://", "postgresql://"))
