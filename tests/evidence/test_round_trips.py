"""What a write costs the database, counted on the real engine: a ``PUT`` replay is one statement
on PostgreSQL, an edit at most two, and neither a replay nor a refusal takes a change number."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable
from datetime import date

import httpx
from piccolo.engine.postgres import PostgresEngine

from cpl import piccolo_conf
from cpl.evidence.repository import live_summary_rows_of
from cpl.evidence.summaries import UNWRITTEN_REFLECTION
from tests.factories import entry_body, put_entry, sign_up

#: One pooled connection on PostgreSQL, so that the statement log below sees every statement.
ONE_CONNECTION = {"postgres_pool_min_size": 1, "postgres_pool_max_size": 1}


@contextlib.asynccontextmanager
async def statements_seen() -> AsyncIterator[list[str]]:
    """The statements the app's engine runs meanwhile, bearer-token lookups left out.

    PostgreSQL: asyncpg's query log on the pool's one connection (transaction control included).
    SQLite: the trace callback of every connection the engine hands out (``BEGIN`` and ``COMMIT``
    included).
    """
    engine = piccolo_conf.DB
    seen: list[str] = []
    if isinstance(engine, PostgresEngine):

        def log(logged) -> None:
            seen.append(logged.query)

        async with engine.pool.acquire() as connection:
            connection.add_query_logger(log)
        try:
            yield seen
        finally:
            await asyncio.sleep(0)  # asyncpg writes its log with call_soon
            async with engine.pool.acquire() as connection:
                connection.remove_query_logger(log)
        return
    checkout = engine.checkout
    traced = []

    async def traced_checkout():
        connection = await checkout()
        await connection.set_trace_callback(seen.append)
        traced.append(connection)
        return connection

    engine.checkout = traced_checkout
    try:
        yield seen
    finally:
        del engine.checkout
        for connection in traced:
            with contextlib.suppress(ValueError):  # closed since
                await connection.set_trace_callback(None)


def _without_authentication(statements: list[str]) -> list[str]:
    return [statement for statement in statements if "auth_session" not in statement]


async def _count(request: Awaitable[httpx.Response]) -> tuple[httpx.Response, list[str]]:
    async with statements_seen() as seen:
        response = await request
    return response, _without_authentication(seen)


def _expected(postgres: int, sqlite: int) -> int:
    return postgres if isinstance(piccolo_conf.DB, PostgresEngine) else sqlite


async def test_the_statements_of_a_put_creation_replay_edit_and_patch(client_for, make_settings):
    client = await client_for(make_settings(**ONE_CONNECTION))
    headers = await sign_up(client)
    body, changed = entry_body(), entry_body(title="Retitled")
    for _ in range(2):  # the first round prepares every statement on the connection
        path = f"/v1/evidence/{uuid.uuid4()}"
        created, create_statements = await _count(client.put(path, json=body, headers=headers))
        replayed, replay_statements = await _count(client.put(path, json=body, headers=headers))
        edited, edit_statements = await _count(client.put(path, json=changed, headers={**headers, "If-Match": '"1"'}))
        patched, patch_statements = await _count(
            client.patch(path, json={"title": "Patched"}, headers={**headers, "If-Match": '"2"'})
        )
        assert (created.status_code, replayed.status_code, edited.status_code) == (201, 200, 200)
        assert patched.status_code == 200
    # A creation tells others in its transaction (``EntriesSaved``, issue 15 and 19): the worker's
    # workforce lines are marked (one indexed update); no suggestion is looked for, as the entry does
    # not say it accepts one. SQLite: BEGIN IMMEDIATE, the write, the counter, the update, COMMIT;
    # PostgreSQL: BEGIN, the write (counter included), the update, COMMIT.
    assert len(create_statements) == _expected(postgres=4, sqlite=5), create_statements
    # A replay writes nothing and tells nobody; on PostgreSQL it is inside the (empty) transaction.
    assert len(replay_statements) == _expected(postgres=3, sqlite=4), replay_statements
    # An edit also asks whether the entry has verifications it may have made stale (issue 15,
    # ``EntriesSaved``'s ``changed``: one indexed read) and marks the workforce lines, in the edit's transaction.
    assert len(edit_statements) == _expected(postgres=5, sqlite=6), edit_statements
    # PATCH reads the entry to merge the fields sent, then writes.
    assert len(patch_statements) == _expected(postgres=6, sqlite=7), patch_statements


async def test_a_batch_costs_the_same_few_statements_whatever_its_size(client_for, make_settings):
    client = await client_for(make_settings(**ONE_CONNECTION))
    headers = await sign_up(client)
    counts = []
    for size in (1, 100, 100, 100):  # the first batch prepares the statements on the connection
        batch = {"entries": [{"id": str(uuid.uuid4()), **entry_body(title=f"Queued {n}")} for n in range(size)]}
        saved, statements = await _count(client.post("/v1/evidence/batch", json=batch, headers=headers))
        assert saved.status_code == 200
        counts.append(len(statements))
        replayed, replay_statements = await _count(client.post("/v1/evidence/batch", json=batch, headers=headers))
        assert [result["outcome"] for result in replayed.json()["results"]] == ["unchanged"] * size
    # PostgreSQL: BEGIN, the owner's counter locked, the entries read, one write (the counter set in
    # it), the workforce mark, COMMIT. SQLite: BEGIN IMMEDIATE, the counter read, the entries read,
    # the write, the counter set, the mark, COMMIT. (The fewest of three: on SQLite the app's
    # scheduled jobs' reads may land in the trace meanwhile.)
    assert min(counts[1:]) == _expected(postgres=6, sqlite=7), counts
    # A replay: the counter locked (read on SQLite) and the entries read, in the transaction; nothing written.
    assert len(replay_statements) == _expected(postgres=4, sqlite=4), replay_statements


async def _cursor(client, headers) -> int:
    page = (await client.get("/v1/sync", params={"limit": 200}, headers=headers)).json()
    assert page["has_more"] is False
    return int(page["next_cursor"])


async def test_replays_and_refusals_take_no_change_number(client):
    headers = await sign_up(client)
    entry = await put_entry(client, headers)
    path, body = f"/v1/evidence/{entry['id']}", {key: entry[key] for key in entry_body()}
    after_create = await _cursor(client, headers)

    for _ in range(3):
        assert (await client.put(path, json=body, headers=headers)).status_code == 200
    assert (
        await client.patch(path, json={"title": entry["title"]}, headers={**headers, "If-Match": '"1"'})
    ).status_code == 200
    batch = {"entries": [{**body, "id": entry["id"]}]}
    assert (await client.post("/v1/evidence/batch", json=batch, headers=headers)).status_code == 200
    changed = {**body, "title": "Changed"}
    assert (await client.put(path, json=changed, headers=headers)).status_code == 428
    assert (await client.put(path, json=changed, headers={**headers, "If-Match": '"9"'})).status_code == 412
    assert await _cursor(client, headers) == after_create

    assert (await client.put(path, json=changed, headers={**headers, "If-Match": '"1"'})).status_code == 200
    assert await _cursor(client, headers) == after_create + 1


async def test_every_untouched_reflection_is_stored_as_the_read_model_expects(client):
    """The entry summaries skip parsing a reflection stored exactly as UNWRITTEN_REFLECTION; every
    way of writing an entry must store an empty reflection that way, or that shortcut is lost."""
    headers = await sign_up(client)
    owner = uuid.UUID((await client.get("/v1/me", headers=headers)).json()["id"])
    empty = entry_body(reflection={})
    put = await put_entry(client, headers, reflection={})
    posted = await client.post("/v1/evidence", json=empty, headers=headers)
    batched = await client.post(
        "/v1/evidence/batch", json={"entries": [{**empty, "id": str(uuid.uuid4())}]}, headers=headers
    )
    reflected = await put_entry(client, headers)
    edited = await client.put(f"/v1/evidence/{reflected['id']}", json=empty, headers={**headers, "If-Match": '"1"'})
    patched = await client.patch(
        f"/v1/evidence/{put['id']}", json={"title": "Patched"}, headers={**headers, "If-Match": '"1"'}
    )
    assert (posted.status_code, batched.status_code, edited.status_code, patched.status_code) == (201, 200, 200, 200)

    stored = {row["id"]: row["reflection"] for row in await live_summary_rows_of([owner], date.min)}
    assert len(stored) == 4
    assert set(stored.values()) == {UNWRITTEN_REFLECTION}
