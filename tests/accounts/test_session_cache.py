"""The token cache (PostgreSQL): revocations anywhere are honoured; nothing is cached blind."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import asyncpg
import pytest

from cpl.accounts.session_cache import LISTENER_NAME, SessionCache
from cpl.kernel.principal import Principal
from tests.conftest import POSTGRES_URL
from tests.factories import sign_up

on_postgres = pytest.mark.skipif(not POSTGRES_URL, reason="the token cache runs on PostgreSQL only")


async def _sql(settings, statement: str) -> None:
    connection = await asyncpg.connect(settings.resolved_database_url)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def _revoke_behind_cpls_back(settings) -> None:
    """Revoke every session straight in the database: no cpl process is told."""
    if POSTGRES_URL:
        await _sql(settings, "UPDATE auth_session SET revoked_at = now()")
    else:
        from cpl.accounts.tables import AuthSession

        await AuthSession.update({AuthSession.revoked_at: datetime.now(UTC)}, force=True)


async def _answers_within(client, headers, status: int, seconds: float = 5.0) -> bool:
    deadline = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < deadline:
        if (await client.get("/v1/me", headers=headers)).status_code == status:
            return True
        await asyncio.sleep(0.05)
    return False


async def test_a_token_seen_once_is_answered_from_the_cache_on_postgres_only(client, settings):
    headers = await sign_up(client)
    assert (await client.get("/v1/me", headers=headers)).status_code == 200
    await _revoke_behind_cpls_back(settings)
    # A change cpl was not told of is not seen by a process that cached the token (SQLite has no cache).
    expected = 200 if POSTGRES_URL else 401
    assert (await client.get("/v1/me", headers=headers)).status_code == expected


@on_postgres
async def test_without_a_cache_every_request_looks_the_token_up(client_for, make_settings, settings):
    uncached = await client_for(make_settings(token_cache_size=0))
    headers = await sign_up(uncached)
    assert (await uncached.get("/v1/me", headers=headers)).status_code == 200
    await _revoke_behind_cpls_back(settings)
    assert (await uncached.get("/v1/me", headers=headers)).status_code == 401


@on_postgres
async def test_revoking_in_one_process_ends_the_token_in_every_other(client_for, settings):
    first, second = await client_for(), await client_for(settings)
    headers = await sign_up(first)
    for client in (first, second):
        assert (await client.get("/v1/me", headers=headers)).status_code == 200  # cached in both
    sessions = (await second.get("/v1/me/sessions", headers=headers)).json()
    assert (await second.delete(f"/v1/me/sessions/{sessions[0]['id']}", headers=headers)).status_code == 204
    assert (await second.get("/v1/me", headers=headers)).status_code == 401  # the revoking process: at once
    assert await _answers_within(first, headers, 401)  # the other: once PostgreSQL delivers the NOTIFY


@on_postgres
async def test_nothing_is_cached_while_the_revocation_listener_is_down(client, settings):
    headers = await sign_up(client)
    assert (await client.get("/v1/me", headers=headers)).status_code == 200  # cached
    await _sql(
        settings, f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '{LISTENER_NAME}'"
    )
    # Whatever happens while the process cannot hear of revocations must still count:
    await _revoke_behind_cpls_back(settings)
    assert await _answers_within(client, headers, 401)


async def test_last_used_time_is_still_written_for_a_cached_token(make_settings, client_for):
    client = await client_for(make_settings(token_touch_interval=timedelta(seconds=1)))
    headers = await sign_up(client)
    first = (await client.get("/v1/me/sessions", headers=headers)).json()[0]["last_used_at"]
    await asyncio.sleep(1.2)
    await client.get("/v1/me", headers=headers)
    assert (await client.get("/v1/me/sessions", headers=headers)).json()[0]["last_used_at"] > first


def test_a_lookup_under_way_when_a_revocation_arrives_is_not_cached():
    cache = SessionCache(capacity=10)
    cache.listening = True
    principal = Principal(
        account_id=uuid4(), email="a@example.org", display_name="A", is_admin=False, session_id=uuid4()
    )
    later = datetime.now(UTC) + timedelta(minutes=5)
    started = cache.generation
    cache.forget(uuid4())  # any revocation heard of while the lookup ran
    cache.put("hash", principal, later, started)
    assert cache.get("hash", datetime.now(UTC)) is None
    cache.put("hash", principal, later, cache.generation)
    assert cache.get("hash", datetime.now(UTC)) == principal
    cache.forget(principal.session_id)
    assert cache.get("hash", datetime.now(UTC)) is None


def test_the_oldest_token_goes_first_when_full():
    cache = SessionCache(capacity=2)
    cache.listening = True
    later = datetime.now(UTC) + timedelta(minutes=5)
    principals = [
        Principal(account_id=uuid4(), email="a@example.org", display_name="A", is_admin=False, session_id=uuid4())
        for _ in range(3)
    ]
    for number, principal in enumerate(principals):
        cache.put(f"hash{number}", principal, later, cache.generation)
    now = datetime.now(UTC)
    assert [cache.get(f"hash{number}", now) for number in range(3)] == [None, principals[1], principals[2]]
