"""``GET /v1/sync``: a phone catches up on every change, once, even while others keep writing."""

from __future__ import annotations

import asyncio
import random
import uuid

from tests.factories import all_changes, entry_body, put_entry, sign_up


async def test_sync_reports_creations_changes_and_deletions_in_order(client):
    headers = await sign_up(client)
    first = await put_entry(client, headers)
    second = await put_entry(client, headers)
    start = (await client.get("/v1/sync", headers=headers)).json()["next_cursor"]
    await client.put(
        f"/v1/evidence/{first['id']}", json=entry_body(title="Changed"), headers={**headers, "If-Match": '"1"'}
    )
    await client.delete(f"/v1/evidence/{second['id']}", headers=headers)
    changes = await all_changes(client, headers, since=start)
    assert [(c["id"], c["version"], c["deleted"]) for c in changes] == [
        (first["id"], 2, False),
        (second["id"], 2, True),
    ]
    assert changes[0]["entry"]["title"] == "Changed"


async def test_sync_shows_only_my_changes(client):
    mine = await sign_up(client)
    theirs = await sign_up(client)
    await put_entry(client, theirs)
    assert await all_changes(client, mine) == []


async def test_a_bad_cursor_is_a_clear_400(client):
    headers = await sign_up(client)
    for since in ("abc", "-1", "1e5"):
        response = await client.get("/v1/sync", params={"since": since}, headers=headers)
        assert response.status_code == 400, since


async def test_catching_up_while_other_devices_write_misses_and_repeats_nothing(client):
    """Three devices create and edit entries while a fourth pages through sync with a small page."""
    headers = await sign_up(client)
    rng = random.Random(7)
    writing = True

    async def device(number: int) -> None:
        mine: list[tuple[str, int]] = []
        for step in range(12):
            if mine and rng.random() < 0.4:
                position = rng.randrange(len(mine))
                entry_id, version = mine[position]
                response = await client.put(
                    f"/v1/evidence/{entry_id}",
                    json=entry_body(title=f"device {number} edit {step}"),
                    headers={**headers, "If-Match": f'"{version}"'},
                )
                assert response.status_code == 200, response.text
                mine[position] = (entry_id, response.json()["version"])
            else:
                entry = await put_entry(client, headers, title=f"device {number} entry {step}")
                mine.append((entry["id"], 1))

    async def phone() -> list[dict]:
        received: list[dict] = []
        cursor = None
        while True:
            still_writing = writing
            params = {"limit": 3, **({"since": cursor} if cursor else {})}
            page = (await client.get("/v1/sync", params=params, headers=headers)).json()
            received.extend(page["changes"])
            cursor = page["next_cursor"]
            if not page["has_more"] and not still_writing:
                return received
            await asyncio.sleep(0)

    reader = asyncio.create_task(phone())
    await asyncio.gather(*(device(number) for number in range(3)))
    writing = False
    received = await reader

    delivered = [(change["id"], change["version"]) for change in received]
    assert len(delivered) == len(set(delivered)), "a version was delivered twice"
    latest: dict[str, int] = {}
    for entry_id, version in delivered:
        assert version > latest.get(entry_id, 0), "versions of one entry arrived out of order"
        latest[entry_id] = version
    server = {change["id"]: change["version"] for change in await all_changes(client, headers)}
    assert latest == server
    assert len(server) >= 3


async def test_sync_pages_are_exact(client):
    headers = await sign_up(client)
    ids = [(await put_entry(client, headers, entry_id=str(uuid.uuid4())))["id"] for _ in range(7)]
    pages = []
    cursor = None
    while True:
        params = {"limit": 3, **({"since": cursor} if cursor else {})}
        page = (await client.get("/v1/sync", params=params, headers=headers)).json()
        pages.append([change["id"] for change in page["changes"]])
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    assert pages == [ids[0:3], ids[3:6], ids[6:7]]
    empty = (await client.get("/v1/sync", params={"since": cursor}, headers=headers)).json()
    assert empty == {"changes": [], "next_cursor": cursor, "has_more": False}
