"""``GET /v1/evidence``: filters, free text, cursor pages, and only my own entries."""

from __future__ import annotations

from tests.factories import put_entry, sign_up


async def test_filters_narrow_the_list(client):
    headers = await sign_up(client)
    await put_entry(
        client,
        headers,
        title="Autism awareness",
        occurred_on="2025-01-10",
        kind="learning_activity",
        activity_type="e_learning",
        tags=["Autism", "SEN"],
    )
    await put_entry(
        client,
        headers,
        title="Feedback from Mrs B",
        occurred_on="2025-02-10",
        kind="feedback",
        activity_type="other",
        tags=["family"],
        description="She valued the 50% faster replies",
    )
    await put_entry(
        client,
        headers,
        title="Journal club",
        occurred_on="2025-03-10",
        kind="learning_activity",
        activity_type="reading",
        tags=["research_club"],
        reflection={"what_i_learned": "Motivational interviewing works"},
    )

    async def titles(**params):
        response = await client.get("/v1/evidence", params=params, headers=headers)
        assert response.status_code == 200, response.text
        return [item["title"] for item in response.json()["items"]]

    assert await titles() == ["Journal club", "Feedback from Mrs B", "Autism awareness"]
    assert await titles(**{"from": "2025-02-01", "to": "2025-02-28"}) == ["Feedback from Mrs B"]
    assert await titles(kind="feedback") == ["Feedback from Mrs B"]
    assert await titles(activity_type="reading") == ["Journal club"]
    assert await titles(tag="autism") == ["Autism awareness"]
    assert await titles(tag="research_club") == ["Journal club"]
    assert await titles(tag="research-club") == []  # "_" is not a wildcard
    assert await titles(q="MOTIVATIONAL") == ["Journal club"]
    assert await titles(q="50%") == ["Feedback from Mrs B"]
    assert await titles(q="5%") == []  # "%" is not a wildcard


async def test_cursor_pages_cover_everything_once(client):
    headers = await sign_up(client)
    created = set()
    for day in range(1, 8):
        for _ in range(2):  # two entries on the same day: the cursor must split ties
            created.add((await put_entry(client, headers, occurred_on=f"2025-04-{day:02d}"))["id"])
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/v1/evidence", params=params, headers=headers)).json()
        seen.extend(item["id"] for item in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == len(created)
    assert set(seen) == created


async def test_the_list_shows_only_my_entries(client):
    mine = await sign_up(client)
    theirs = await sign_up(client)
    await put_entry(client, theirs, title="Not yours")
    mine_entry = await put_entry(client, mine, title="Yours")
    items = (await client.get("/v1/evidence", headers=mine)).json()["items"]
    assert [item["id"] for item in items] == [mine_entry["id"]]
    assert (await client.get("/v1/evidence", params={"q": "Not yours"}, headers=mine)).json()["items"] == []


async def test_a_forged_cursor_is_a_clear_400(client):
    headers = await sign_up(client)
    response = await client.get("/v1/evidence", params={"cursor": "not-a-cursor"}, headers=headers)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_control_characters_in_a_filter_are_a_422_naming_it(client):
    headers = await sign_up(client)
    await put_entry(client, headers, tags=["audit"])
    for name in ("kind", "tag", "q"):
        response = await client.get("/v1/evidence", params={name: "a\x00b"}, headers=headers)
        assert response.status_code == 422, (name, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert [error["field"] for error in response.json()["errors"]] == [name]
