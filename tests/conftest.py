"""Test harness: every test gets a fresh, migrated database and an app on it.

SQLite by default (a migrated template file copied per test); PostgreSQL when
``CPL_TEST_DATABASE_URL`` names a server (a scratch database migrated once, its tables
emptied before each test).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import pytest

from cpl.app import create_app
from cpl.migrate import migrate_database
from cpl.settings import Settings

POSTGRES_URL = os.environ.get("CPL_TEST_DATABASE_URL", "")

#: Cheap argon2 parameters: the tests check behaviour, not hashing cost.
FAST_HASHING = {"argon2_time_cost": 1, "argon2_memory_cost_kib": 64, "argon2_parallelism": 1}


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database: a SQLite file to copy, or a PostgreSQL database to empty."""
    if not POSTGRES_URL:
        path = tmp_path_factory.mktemp("template") / "cpl.sqlite3"
        asyncio.run(migrate_database(Settings(database_url=f"sqlite:///{path}")))
        yield str(path)
        return
    name = f"cpl_test_{uuid.uuid4().hex[:12]}"

    async def admin(statement: str) -> None:
        connection = await asyncpg.connect(POSTGRES_URL)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    url = _with_database(POSTGRES_URL, name)
    try:
        asyncio.run(migrate_database(Settings(database_url=url)))
        yield url
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def make_settings(database_template: str, tmp_path: Path):
    """Settings for a fresh database; keyword arguments override any setting."""

    def make(**overrides) -> Settings:
        if POSTGRES_URL:
            database_url = database_template
        else:
            path = tmp_path / f"cpl-{uuid.uuid4().hex[:8]}.sqlite3"
            shutil.copyfile(database_template, path)
            database_url = f"sqlite:///{path}"
        return Settings(data_dir=tmp_path, database_url=database_url, **{**FAST_HASHING, **overrides})

    return make


@pytest.fixture
def settings(make_settings) -> Settings:
    return make_settings()


async def _empty_postgres_tables(url: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        tables = await connection.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migration'"
        )
        names = ", ".join(f'"{row["tablename"]}"' for row in tables)
        await connection.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    finally:
        await connection.close()


async def _serve_lifespan(app, started: asyncio.Event, stop: asyncio.Event) -> None:
    """Hold the app's lifespan open in one task (anyio needs it entered and left in the same task)."""
    async with app.lifespan():
        started.set()
        await stop.wait()


@pytest.fixture
async def client_for(settings: Settings) -> AsyncIterator:
    """Start an app on the given settings (the test's by default) and return an HTTP client for it.

    The app runs in the test's own event loop (httpx's ASGI transport), so requests sent
    with ``asyncio.gather`` really run concurrently, and services called directly from a
    test share the app's connection pool.
    """
    if POSTGRES_URL:
        await _empty_postgres_tables(settings.resolved_database_url)
    stop = asyncio.Event()
    lifespans: list[asyncio.Task] = []
    clients: list[httpx.AsyncClient] = []

    async def start(app_settings: Settings | None = None) -> httpx.AsyncClient:
        app = create_app(app_settings or settings)
        started = asyncio.Event()
        lifespan = asyncio.create_task(_serve_lifespan(app, started, stop))
        lifespans.append(lifespan)
        await asyncio.wait([lifespan, asyncio.create_task(started.wait())], return_when=asyncio.FIRST_COMPLETED)
        if lifespan.done():
            lifespan.result()  # start-up failed: raise its error
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        clients.append(httpx.AsyncClient(transport=transport, base_url="http://testserver", timeout=30))
        return clients[-1]

    yield start
    for client in clients:
        await client.aclose()
    stop.set()
    await asyncio.gather(*lifespans)


@pytest.fixture
async def client(client_for) -> httpx.AsyncClient:
    return await client_for()


def pytest_report_header(config: pytest.Config) -> str:
    return f"cpl database: {'PostgreSQL ' + POSTGRES_URL if POSTGRES_URL else 'SQLite'}"
