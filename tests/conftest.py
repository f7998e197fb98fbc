"""Test harness: every test gets a fresh, migrated database and an app on it.

The database starts as a first start-up leaves it: migrated, with the built-in frameworks
loaded (once per session, into a template). SQLite by default (the template file copied per
test); PostgreSQL when ``CPL_TEST_DATABASE_URL`` names a server (a scratch database prepared
once, put back to the template's rows before each test by :data:`RESET_FUNCTION`).
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

from cpl import db
from cpl.app import create_app
from cpl.competences import ensure_built_in_frameworks
from cpl.migrate import migrate_database
from cpl.settings import Settings
from tests.mailbox import FolderMailbox, smtp_server  # noqa: F401 (smtp_server: a fixture for every test)

#: Real object stores (moto's S3 over HTTP, started once per session) for every test that asks.
pytest_plugins = ["tests.storage.fixtures"]

POSTGRES_URL = os.environ.get("CPL_TEST_DATABASE_URL", "")

#: Cheap argon2 parameters: the tests check behaviour, not hashing cost.
FAST_HASHING = {"argon2_time_cost": 1, "argon2_memory_cost_kib": 64, "argon2_parallelism": 1}


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


async def _migrate_and_load_frameworks(settings: Settings) -> None:
    """What a first start-up writes: every migration, then the built-in frameworks."""
    await migrate_database(settings)
    engine = db.build_engine(settings)
    db.bind_engine(engine)
    await db.open_database(engine, settings)
    try:
        await ensure_built_in_frameworks()
    finally:
        await db.close_database(engine)


#: Puts a PostgreSQL scratch database back to its template state in one round trip: every
#: table emptied (foreign keys are not checked meanwhile: ``session_replication_role``), the
#: rows the template held copied back from ``cpl_test``, and the sequences restarted. Much
#: cheaper than ``TRUNCATE`` (new files for ~100 tables and indexes) followed by a re-seed.
RESET_FUNCTION = """
CREATE FUNCTION cpl_test.reset() RETURNS void LANGUAGE plpgsql AS $$
DECLARE found record;
BEGIN
    SET LOCAL session_replication_role = replica;
    FOR found IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migration' LOOP
        EXECUTE format('DELETE FROM public.%I', found.tablename);
    END LOOP;
    FOR found IN SELECT tablename FROM pg_tables WHERE schemaname = 'cpl_test' LOOP
        EXECUTE format('INSERT INTO public.%I SELECT * FROM cpl_test.%I', found.tablename, found.tablename);
    END LOOP;
    FOR found IN SELECT sequencename FROM pg_sequences
                 WHERE schemaname = 'public' AND sequencename <> 'migration_id_seq' LOOP
        EXECUTE format('ALTER SEQUENCE public.%I RESTART', found.sequencename);
    END LOOP;
END $$
"""


async def _keep_template_rows(url: str) -> None:
    """Copy every table the template has rows in to ``cpl_test``, and install the reset function."""
    connection = await asyncpg.connect(url)
    try:
        async with connection.transaction():
            await connection.execute("CREATE SCHEMA cpl_test")
            tables = await connection.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migration'"
            )
            for row in tables:
                table = row["tablename"]
                if await connection.fetchval(f'SELECT EXISTS (SELECT 1 FROM public."{table}")'):
                    await connection.execute(f'CREATE TABLE cpl_test."{table}" AS SELECT * FROM public."{table}"')
            await connection.execute(RESET_FUNCTION)
    finally:
        await connection.close()


async def _reset_postgres(url: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute("SELECT cpl_test.reset()")
    finally:
        await connection.close()


async def _postgres_admin(statement: str) -> None:
    connection = await asyncpg.connect(POSTGRES_URL)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database holding the built-in frameworks: a SQLite file to copy, or a
    PostgreSQL database to reset (one per session, hence one per pytest-xdist worker)."""
    if not POSTGRES_URL:
        path = tmp_path_factory.mktemp("template") / "cpl.sqlite3"
        asyncio.run(_migrate_and_load_frameworks(Settings(database_url=f"sqlite:///{path}")))
        yield str(path)
        return
    name = f"cpl_test_{uuid.uuid4().hex[:12]}"
    asyncio.run(_postgres_admin(f'CREATE DATABASE "{name}"'))
    try:
        # Tests check behaviour, not durability: commits need not wait for the disk.
        asyncio.run(_postgres_admin(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
        url = _with_database(POSTGRES_URL, name)
        asyncio.run(_migrate_and_load_frameworks(Settings(database_url=url)))
        asyncio.run(_keep_template_rows(url))
        yield url
    finally:
        asyncio.run(_postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def make_settings(database_template: str, tmp_path: Path):
    """Settings for a fresh database; keyword arguments override any setting.

    On PostgreSQL every call in a test names the same database, put back to the template's
    rows when the test starts; on SQLite every call copies a template file of its own.
    """
    if POSTGRES_URL:
        asyncio.run(_reset_postgres(database_template))

    def make(**overrides) -> Settings:
        if POSTGRES_URL:
            database_url = database_template
        else:
            path = tmp_path / f"cpl-{uuid.uuid4().hex[:8]}.sqlite3"
            shutil.copyfile(database_template, path)
            database_url = f"sqlite:///{path}"
        return Settings(data_dir=tmp_path, **{**FAST_HASHING, "database_url": database_url, **overrides})

    return make


@pytest.fixture
def settings(make_settings) -> Settings:
    return make_settings()


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
    stop = asyncio.Event()
    lifespans: list[asyncio.Task] = []
    clients: list[httpx.AsyncClient] = []

    async def start(app_settings: Settings | None = None, mailbox=None) -> httpx.AsyncClient:
        app_settings = app_settings or settings
        app = create_app(app_settings)
        started = asyncio.Event()
        lifespan = asyncio.create_task(_serve_lifespan(app, started, stop))
        lifespans.append(lifespan)
        await asyncio.wait([lifespan, asyncio.create_task(started.wait())], return_when=asyncio.FIRST_COMPLETED)
        if lifespan.done():
            lifespan.result()  # start-up failed: raise its error
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        client = httpx.AsyncClient(transport=transport, base_url="http://testserver", timeout=30)
        #: Where the test reads the mail cpl sent (tests.factories.sign_up confirms addresses from it).
        client.mailbox = mailbox or FolderMailbox(app_settings.mail_folder)
        clients.append(client)
        return client

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
