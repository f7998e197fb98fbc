"""Build the previous release's database, holding data, and dump it as SQL for the upgrade test.

Run it with the previous release's code (commit a714057: eleven per-domain migration
chains), never with the current one. From a checkout of this repository:

    git worktree add ../cpl-previous-release a714057
    python3 -m venv ../cpl-previous-release/.venv
    ../cpl-previous-release/.venv/bin/pip install -e ../cpl-previous-release
    ../cpl-previous-release/.venv/bin/python tests/migrations/previous_release/build.py sqlite \\
        tests/migrations/previous_release/sqlite.sql
    ../cpl-previous-release/.venv/bin/python tests/migrations/previous_release/build.py postgres \\
        tests/migrations/previous_release/postgres.sql --server postgres://postgres@127.0.0.1:5432/test

The data is made through the HTTP API, as users would: workers, entries (one deleted), a
file, registrations and a gap explanation, a peer discussion, competence links, an
employer with an admin, a supervisor and workers, supervision, shares, a review with a
comment, a request for changes and a verification, notifications, a finished export and
its share link. ``pg_dump`` writes the PostgreSQL dump, one ``INSERT`` per row.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import re
import sqlite3
import subprocess
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
from PIL import Image

from cpl import db
from cpl.app import create_app
from cpl.settings import Settings

#: Every account's password in the dump (the upgrade test signs in with it).
PASSWORD = "previous release password"
#: The previous release's apps: the script refuses to run on code with any other chain.
PREVIOUS_APPS = {
    "accounts", "evidence", "attachments", "competences", "requirements", "signing",
    "exports", "organisations", "sharing", "reviews", "notifications",
}  # fmt: skip


class Api:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def call(self, method: str, path: str, token: dict | None = None, expect: int = 200, **kwargs) -> dict:
        response = await self.client.request(method, path, headers=token or {}, **kwargs)
        assert response.status_code == expect, f"{method} {path}: {response.status_code} {response.text}"
        return response.json() if response.content else {}

    async def account(self, email: str, name: str) -> tuple[dict, str]:
        body = {"email": email, "password": PASSWORD, "display_name": name}
        registered = await self.call("POST", "/v1/auth/register", json=body, expect=201)
        token = {"Authorization": f"Bearer {registered['token']}"}
        return token, (await self.call("GET", "/v1/me", token))["id"]

    async def entry(self, token: dict, title: str, **fields) -> str:
        entry_id = str(uuid.uuid4())
        body = {
            "kind": "learning_activity", "title": title, "occurred_on": "2026-10-14", "duration_minutes": 90,
            "participatory": True, "activity_type": "course", "description": f"{title}: notes.",
            "reflection": {"what_happened": "A case study.", "what_i_learned": "Escalation out of hours.",
                           "how_it_changes_practice": "I record when I escalate."},
            "tags": ["safeguarding", "Night Shift"], **fields,
        }  # fmt: skip
        await self.call("PUT", f"/v1/evidence/{entry_id}", token, json=body, expect=201)
        return entry_id

    async def join(self, admin: dict, organisation: str, member: dict, role: str) -> None:
        email = (await self.call("GET", "/v1/me", member))["email"]
        invited = await self.call(
            "POST",
            f"/v1/organisations/{organisation}/invitations",
            admin,
            json={"email": email, "role": role},
            expect=201,
        )
        await self.call("POST", f"/v1/invitations/{invited['id']}/accept", member)


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (48, 32), "teal").save(buffer, "JPEG")
    return buffer.getvalue()


async def _worker_record(api: Api, worker: dict) -> list[str]:
    entries = [await api.entry(worker, title) for title in ("Safeguarding refresher", "Wound care study day")]
    entries.append(
        await api.entry(worker, "Reading: dementia care", kind="reflective_account", activity_type="reading")
    )
    gone = await api.entry(worker, "Entered by mistake")
    await api.call("DELETE", f"/v1/evidence/{gone}", worker, expect=204)
    files = {"file": ("wound.jpg", _jpeg(), "image/jpeg")}
    await api.call("POST", f"/v1/evidence/{entries[1]}/attachments", worker, files=files, expect=201)
    registration = str(uuid.uuid4())
    body = {"register": "nmc", "registration_number": "12A3456E", "part": "nurse", "cycle_start": "2024-01-01",
            "renewal_date": "2027-01-01"}  # fmt: skip
    await api.call("PUT", f"/v1/me/registrations/{registration}", worker, json=body, expect=201)
    gap = {"starts_on": "2025-01-01", "ends_on": "2025-02-01", "reason": "Parental leave"}
    await api.call(
        "PUT", f"/v1/me/registrations/{registration}/gap-explanations/{uuid.uuid4()}", worker, json=gap, expect=201
    )
    await api.call("PUT", f"/v1/evidence/{entries[0]}/peer-discussion", worker, json={"name": "Pat Peer"}, expect=201)
    items = await api.call("GET", "/v1/competences", worker, params={"q": "learning", "limit": 2})
    assert len(items["items"]) == 2, items
    links = {"links": [{"item_id": item["id"], "note": "Case study 2"} for item in items["items"]]}
    await api.call("PUT", f"/v1/evidence/{entries[0]}/competences", worker, json=links)
    return entries


async def _employer(api: Api, worker: dict, worker_id: str, entries: list[str]) -> None:
    admin, _ = await api.account("admin@riverside.example", "Ada Admin")
    supervisor, supervisor_id = await api.account("sam@riverside.example", "Sam Supervisor")
    colleague, _ = await api.account("cole@riverside.example", "Cole Colleague")
    organisation = (
        await api.call(
            "POST", "/v1/organisations", admin, json={"name": "Riverside Care", "kind": "employer"}, expect=201
        )
    )["id"]
    for member, role in ((supervisor, "supervisor"), (worker, "worker"), (colleague, "worker")):
        await api.join(admin, organisation, member, role)
    link = {"supervisor_id": supervisor_id, "worker_id": worker_id}
    await api.call("POST", f"/v1/organisations/{organisation}/supervision-links", admin, json=link, expect=201)
    await api.call(
        "POST",
        f"/v1/organisations/{organisation}/invitations",
        admin,
        json={"email": "later@riverside.example", "role": "worker"},
        expect=201,
    )
    share = {"organisation_id": organisation, "supervisor_id": supervisor_id, "entry_ids": entries[:2]}
    await api.call("POST", "/v1/shares", worker, json=share, expect=201)
    for entry, verify in ((entries[0], True), (entries[1], False)):
        review = await api.call(
            "POST",
            "/v1/reviews",
            worker,
            json={"entry_id": entry, "reviewer_id": supervisor_id, "organisation_id": organisation},
            expect=201,
        )
        await api.call("POST", f"/v1/reviews/{review['id']}/comments", supervisor, json={"body": "Good reflection."})
        if verify:
            statement = {
                "statement": "I observed this learning.",
                "role": "Ward manager",
                "registration_number": "98B7654C",
            }
            await api.call("POST", f"/v1/reviews/{review['id']}/verify", supervisor, json=statement)
        else:
            await api.call(
                "POST",
                f"/v1/reviews/{review['id']}/request-changes",
                supervisor,
                json={"body": "Add the date of the course."},
            )


async def _export(api: Api, worker: dict) -> None:
    export = await api.call("POST", "/v1/exports", worker, json={"format": "json"}, expect=202)
    for _ in range(600):
        export = await api.call("GET", f"/v1/exports/{export['id']}", worker)
        if export["status"] in ("done", "failed"):
            break
        await asyncio.sleep(0.05)
    assert export["status"] == "done", export
    await api.call("POST", f"/v1/exports/{export['id']}/shares", worker, json={"label": "For my manager"}, expect=201)


async def build(settings: Settings) -> None:
    """Migrate with the previous release's chains and make the data through its API."""
    await db.migrate_database(settings)
    app = create_app(settings)
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver", timeout=60) as client:
            api = Api(client)
            worker, worker_id = await api.account("wren@example.org", "Wren Worker")
            entries = await _worker_record(api, worker)
            await _employer(api, worker, worker_id, entries)
            await _export(api, worker)
            await api.account("solo@example.org", "Solo Worker")


def _check_previous_release(rows: list[str]) -> None:
    apps = set(rows)
    assert apps == PREVIOUS_APPS, f"this is not the previous release's code: its migrations are for {sorted(apps)}"


def dump_sqlite(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        _check_previous_release([row[0] for row in connection.execute("SELECT app_name FROM migration")])
        return "\n".join(connection.iterdump()) + "\n"
    finally:
        connection.close()


def dump_postgres(url: str) -> str:
    dumped = subprocess.run(
        ["pg_dump", "--no-owner", "--no-privileges", "--inserts", "--dbname", url],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    # psql's meta-commands (\restrict) and comments are not SQL: the test runs the rest as is.
    kept = [line for line in dumped.splitlines() if not line.startswith(("\\", "--"))]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip() + "\n"


async def _on_server(server: str, statement: str) -> None:
    connection = await asyncpg.connect(server)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database", choices=["sqlite", "postgres"])
    parser.add_argument("output", type=Path)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432/test", help="PostgreSQL server")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        fast = {"argon2_time_cost": 1, "argon2_memory_cost_kib": 64, "argon2_parallelism": 1}
        if args.database == "sqlite":
            path = Path(data_dir) / "previous.sqlite3"
            await build(Settings(data_dir=data_dir, database_url=f"sqlite:///{path}", **fast))
            args.output.write_text(dump_sqlite(path))
            return
        name = f"cpl_previous_release_{uuid.uuid4().hex[:8]}"
        await _on_server(args.server, f'CREATE DATABASE "{name}"')
        url = urlunsplit(urlsplit(args.server)._replace(path=f"/{name}"))
        try:
            await build(Settings(data_dir=data_dir, database_url=url, **fast))
            connection = await asyncpg.connect(url)
            _check_previous_release([row[0] for row in await connection.fetch("SELECT app_name FROM migration")])
            await connection.close()
            args.output.write_text(dump_postgres(url))
        finally:
            await _on_server(args.server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    asyncio.run(main())
