"""A PostgreSQL database that refuses or stops answering: every request answers 503
problem+json with Retry-After (not 500, not a hang), the outage is logged once rather than a
traceback per request, ``/health/ready`` says the database is the problem, and service resumes
by itself when the database is back. The faults come from a proxy between cpl and PostgreSQL."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.conftest import POSTGRES_URL
from tests.factories import put_entry, sign_up
from tests.faults.proxy import FaultProxy

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="database faults need PostgreSQL (CPL_TEST_DATABASE_URL)")

#: Far beyond the bounded answer; only there so that a regression fails instead of hanging the suite.
GUARD_SECONDS = 60
BOUNDED = {"database_connect_timeout_seconds": 1.0, "database_statement_timeout_seconds": 1.0}


@pytest.fixture
def database_proxy(database_template: str) -> Iterator[tuple[FaultProxy, str]]:
    """A proxy in front of the test's database, and the database URL through it."""
    parts = urlsplit(database_template)
    with FaultProxy(parts.hostname or "127.0.0.1", parts.port or 5432) as proxy:
        netloc = parts.netloc.rsplit("@", 1)
        host = f"127.0.0.1:{proxy.port}"
        yield proxy, urlunsplit(parts._replace(netloc=f"{netloc[0]}@{host}" if len(netloc) == 2 else host))


async def _started(client_for, make_settings, url: str):
    api = await client_for(make_settings(database_url=url, **BOUNDED))
    headers = await sign_up(api)
    entry = await put_entry(api, headers)
    return api, headers, entry


async def _read(api, headers, entry):
    return await asyncio.wait_for(api.get(f"/v1/evidence/{entry['id']}", headers=headers), GUARD_SECONDS)


def _assert_unavailable(response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["title"] == "Database unavailable"
    assert int(response.headers["retry-after"]) > 0


async def _until_served(api, headers, entry):
    """Ask again until the database is back (the proxy passes again): no restart is needed."""
    for _ in range(100):
        response = await _read(api, headers, entry)
        if response.status_code == 200:
            return response
        await asyncio.sleep(0.2)
    raise AssertionError(f"service did not resume: {response.status_code} {response.text}")


class Recorded(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def tracebacks(self) -> list[logging.LogRecord]:
        """Tracebacks logged by the service or its background work (a database outage is never one)."""
        return [record for record in self.records if record.exc_info]


@pytest.fixture
def logged() -> Iterator[Recorded]:
    """What cpl and asyncpg log, caught at their own loggers (the app's logging set-up replaces the root's)."""
    handler = Recorded()
    loggers = [logging.getLogger(name) for name in ("cpl", "asyncpg")]
    for found in loggers:
        found.addHandler(handler)
    yield handler
    for found in loggers:
        found.removeHandler(handler)


async def test_a_refusing_database_is_503_logged_once_and_service_resumes(
    client_for, make_settings, database_proxy, logged
) -> None:
    proxy, url = database_proxy
    api, headers, entry = await _started(client_for, make_settings, url)

    proxy.set_mode("refuse")
    for response in await asyncio.gather(*(_read(api, headers, entry) for _ in range(30))):
        _assert_unavailable(response)
    ready = await api.get("/health/ready")
    assert ready.status_code == 503
    assert ready.json() == {"status": "unavailable", "database": "unreachable", "storage": "reachable"}
    assert (await api.get("/health/live")).status_code == 200

    proxy.set_mode("pass")
    assert (await _until_served(api, headers, entry)).json() == entry
    assert (await api.get("/health/ready")).status_code == 200
    outage_lines = [record for record in logged.records if record.name == "cpl.database"]
    assert [record.getMessage().split(" (")[0] for record in outage_lines[:1]] == ["database unreachable"]
    assert len([record for record in outage_lines if "unreachable" in record.getMessage()]) == 1
    assert logged.tracebacks() == []


async def test_a_partitioned_database_is_503_within_the_timeouts_and_service_resumes(
    client_for, make_settings, database_proxy, logged
) -> None:
    proxy, url = database_proxy
    api, headers, entry = await _started(client_for, make_settings, url)

    proxy.set_mode("stall")  # open connections stay open; nothing gets through either way
    for response in await asyncio.gather(*(_read(api, headers, entry) for _ in range(30))):
        _assert_unavailable(response)
    _assert_unavailable(await asyncio.wait_for(api.get("/v1/evidence", headers=headers), GUARD_SECONDS))
    health = await asyncio.wait_for(api.get("/health"), GUARD_SECONDS)
    assert health.json() == {"status": "degraded", "database": "unreachable"}
    ready = await asyncio.wait_for(api.get("/health/ready"), GUARD_SECONDS)
    assert ready.json()["database"] == "unreachable"

    proxy.set_mode("pass")
    assert (await _until_served(api, headers, entry)).json() == entry
    # More requests than the pool has connections: every broken one was replaced.
    for response in await asyncio.gather(*(_read(api, headers, entry) for _ in range(40))):
        assert response.status_code == 200
    assert logged.tracebacks() == []


async def test_a_database_that_drops_every_connection_is_503(client_for, make_settings, database_proxy) -> None:
    proxy, url = database_proxy
    api, headers, entry = await _started(client_for, make_settings, url)
    proxy.set_mode("cut", cut_after=0)
    _assert_unavailable(await _read(api, headers, entry))
    proxy.set_mode("pass")
    assert (await _until_served(api, headers, entry)).json() == entry
