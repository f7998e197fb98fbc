"""A database the previous release made, holding data, upgrades to the current head intact.

The previous release (commit a714057) migrated with eleven per-domain chains; its database,
with data made through its API, is dumped as SQL in ``previous_release/`` by
``previous_release/build.py`` (how to run it is written there).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cpl.migrate import MigrationError, migrate_database
from cpl.settings import Settings
from tests.migrations.schema import read_schema
from tests.migrations.sql import execute, fetch

DUMPS = Path(__file__).parent / "previous_release"
PASSWORD = "previous release password"
#: Tables later migrations dropped: ``login_failure``, its ledger replaced by ``attempt_counter`` (issue 14).
DROPPED_SINCE = {"login_failure"}
#: The previous release's one attachment, a JPEG (its digest as uploaded).
LEGACY_PHOTO_SHA256 = "646a2b042ec0e2c2d899211c463521b55973c6cb229e780f2a4292f4a536fee7"


async def _load_previous_release(url: str) -> None:
    dump = "sqlite.sql" if url.startswith("sqlite:///") else "postgres.sql"
    await execute(url, (DUMPS / dump).read_text())


async def _every_row(url: str, like: dict[str, dict] | None = None) -> dict[str, dict]:
    """Every row of every table but ``migration``, as text, sorted, with the table's columns. With
    ``like`` (an earlier answer), only its tables and columns: later migrations add both."""
    if like is None:
        like = {table: {"columns": list(found["columns"])} for table, found in (await read_schema(url)).items()}
    every = {}
    for table in sorted(like):
        names = ", ".join(f'"{column}"' for column in like[table]["columns"])
        rows = await fetch(url, f'SELECT {names} FROM "{table}"')
        every[table] = {"columns": like[table]["columns"], "rows": sorted(repr(row) for row in rows)}
    return every


async def test_the_previous_release_upgrades_with_its_data_and_the_service_works_on_it(
    settings: Settings, empty_database_url: str, tmp_path: Path, client_for
):
    await _load_previous_release(empty_database_url)
    before = await _every_row(empty_database_url)
    assert len(before["evidence_entry"]["rows"]) == 4 and len(before["review"]["rows"]) == 2

    upgraded = Settings(data_dir=tmp_path, database_url=empty_database_url)
    await migrate_database(upgraded)

    kept = {table: found for table, found in before.items() if table not in DROPPED_SINCE}
    assert await _every_row(empty_database_url, like=kept) == kept
    after = await _every_row(empty_database_url)
    assert {table: found["rows"] for table, found in after.items() if table not in before} == dict.fromkeys(
        set(after) - set(before), []
    )
    assert await read_schema(empty_database_url) == await read_schema(settings.resolved_database_url)
    chain = await fetch(empty_database_url, "SELECT name FROM migration WHERE app_name = 'cpl' ORDER BY name")
    head = await fetch(settings.resolved_database_url, "SELECT name FROM migration ORDER BY name")
    assert chain == head

    client = await client_for(upgraded)
    login = await client.post("/v1/auth/login", json={"email": "wren@example.org", "password": PASSWORD})
    assert login.status_code == 200, login.text
    worker = {"Authorization": f"Bearer {login.json()['token']}"}
    listed = await client.get("/v1/evidence", headers=worker)
    assert listed.status_code == 200
    assert sorted(entry["title"] for entry in listed.json()["items"]) == [
        "Reading: dementia care",
        "Safeguarding refresher",
        "Wound care study day",
    ]
    files = [
        file
        for entry in listed.json()["items"]
        for file in (await client.get(f"/v1/evidence/{entry['id']}/attachments", headers=worker)).json()
    ]
    assert [(file["filename"], file["sha256"], file["stored_sha256"]) for file in files] == [
        ("wound.jpg", LEGACY_PHOTO_SHA256, None)  # an image: its stored digest is not backfilled
    ]
    submitted = await client.get("/v1/reviews/submitted", headers=worker)
    assert submitted.status_code == 200 and len(submitted.json()["items"]) == 2


async def test_a_database_of_an_unreleased_version_is_refused_and_left_as_it_is(empty_database_url: str, tmp_path):
    await _load_previous_release(empty_database_url)
    await execute(empty_database_url, "DELETE FROM migration WHERE app_name = 'exports'")
    before = await _every_row(empty_database_url)

    with pytest.raises(MigrationError, match=r"development version.*'exports'"):
        await migrate_database(Settings(data_dir=tmp_path, database_url=empty_database_url))

    assert await _every_row(empty_database_url, like=before) == before
    assert await fetch(empty_database_url, "SELECT name FROM migration WHERE app_name = 'cpl'") == []
