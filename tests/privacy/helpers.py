"""A person with a canary in every field and file, made through the API; erasing them; looking for
the canary in the database's bytes and in every stored object."""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from httpx import AsyncClient

from cpl import db
from cpl.settings import Settings
from tests.competences.helpers import items_by_code
from tests.database_text import columns_holding
from tests.exports.helpers import attach, png_bytes, wait_for
from tests.factories import PASSWORD, put_entry, sign_up
from tests.organisations.helpers import account, join, organisation, share, supervise
from tests.push.endpoint import Device
from tests.requirements.helpers import register_on
from tests.storage.fixtures import s3_client


@dataclass
class Canary:
    word: str
    headers: dict[str, str]
    email: str
    account_id: str
    export_id: str
    supervisor: dict[str, str]


def canary_word() -> str:
    return f"zq{uuid.uuid4().hex[:10]}canary"


async def _entries(client: AsyncClient, headers: dict, word: str) -> tuple[dict, dict]:
    reflection = {"what_happened": f"{word} happened", "what_i_learned": word, "how_it_changes_practice": word}
    first = await put_entry(
        client, headers, title=f"Entry {word}", description=f"About {word}", reflection=reflection, tags=[word]
    )
    gone = await put_entry(client, headers, title=f"Deleted {word}", description=word)
    deleted = await client.delete(f"/v1/evidence/{gone['id']}", headers=headers)
    assert deleted.status_code == 204, deleted.text
    await attach(client, headers, first["id"], f"certificate {word}\n".encode(), f"{word}.txt")
    await attach(client, headers, first["id"], png_bytes(), f"ward-{word}.png")
    peer = {"name": f"Peer {word}", "learning": f"Learned {word}", "address": word}
    response = await client.put(f"/v1/evidence/{first['id']}/peer-discussion", json=peer, headers=headers)
    assert response.status_code == 201, response.text
    return first, gone


async def _requirements(client: AsyncClient, headers: dict, word: str, entry: dict) -> None:
    registration = await register_on(client, headers, "hcpc", "dietitian", "2024-01-01", "2026-01-01")
    path = f"/v1/me/registrations/{registration['id']}/gap-explanations/{uuid.uuid4()}"
    body = {"starts_on": "2024-02-01", "ends_on": "2024-03-01", "reason": f"Leave {word}"}
    assert (await client.put(path, json=body, headers=headers)).status_code == 201
    items = await items_by_code(client, headers, "The NMC Code")
    item = items[sorted(items)[1]]
    response = await client.put(
        f"/v1/evidence/{entry['id']}/competences",
        json={"links": [{"item_id": item["id"], "note": f"Note {word}"}]},
        headers=headers,
    )
    assert response.status_code == 200, response.text


async def _review(client: AsyncClient, word: str, worker: dict, worker_id: str, entry: dict) -> dict:
    admin, _ = await account(client, "Ada Admin")
    supervisor, supervisor_me = await account(client, "Sam Supervisor")
    organisation_id = await organisation(client, admin)
    await join(client, admin, organisation_id, supervisor, "supervisor")
    await join(client, admin, organisation_id, worker, "worker")
    await supervise(client, admin, organisation_id, supervisor_me["id"], worker_id)
    await share(client, worker, organisation_id, supervisor_id=supervisor_me["id"], entry_ids=[entry["id"]])
    body = {"entry_id": entry["id"], "reviewer_id": supervisor_me["id"], "organisation_id": organisation_id}
    made = await client.post("/v1/reviews", json={**body, "note": f"Please {word}"}, headers=worker)
    assert made.status_code == 201, made.text
    review_id = made.json()["id"]
    commented = await client.post(f"/v1/reviews/{review_id}/comments", json={"body": f"Hm {word}"}, headers=supervisor)
    assert commented.status_code == 200, commented.text
    verified = await client.post(
        f"/v1/reviews/{review_id}/verify", json={"statement": f"True {word}", "role": "Nurse"}, headers=supervisor
    )
    assert verified.status_code == 200, verified.text
    return supervisor


async def _exports(client: AsyncClient, headers: dict, word: str) -> str:
    started = await client.post("/v1/exports", json={"format": "json", "selection": {}}, headers=headers)
    assert started.status_code == 202, started.text
    done = await wait_for(client, headers, started.json()["id"])
    assert done["status"] == "done", done
    link_made = await client.post(f"/v1/exports/{done['id']}/shares", json={"label": f"For {word}"}, headers=headers)
    assert link_made.status_code == 201, link_made.text
    opened = await client.get(urlsplit(link_made.json()["url"]).path, headers={"User-Agent": f"Browser {word}"})
    assert opened.status_code in (200, 307), opened.text
    mine = await client.post("/v1/me/data-export", headers=headers)
    assert mine.status_code == 202, mine.text
    await wait_for_data_export(client, headers, mine.json()["id"])
    return done["id"]


async def canary_person(client: AsyncClient) -> Canary:
    """A worker with the canary in their name, address, device, entries (a deleted one too),
    files and file names, peer discussion, registration's gap, competence note, review
    (note, the supervisor's comment and verification, the notifications), export, share-link
    label, data export, a phone's push subscription, and a failed sign-in counted against their address."""
    word = canary_word()
    email = f"{word}@example.org"
    headers = await sign_up(client, email, display_name=f"Wren {word}", device_name=f"Phone {word}")
    me = (await client.get("/v1/me", headers=headers)).json()
    entry, _ = await _entries(client, headers, word)
    await _requirements(client, headers, word, entry)
    supervisor = await _review(client, word, headers, me["id"], entry)
    export_id = await _exports(client, headers, word)
    phone = Device(f"https://push-{word}.invalid/send/{word}").subscription()
    assert (await client.post("/v1/me/push-subscriptions", json=phone, headers=headers)).status_code == 201
    wrong = await client.post("/v1/auth/login", json={"email": email, "password": "not the password"})
    assert wrong.status_code == 401
    return Canary(word, headers, email, me["id"], export_id, supervisor)


async def wait_for_data_export(client: AsyncClient, headers: dict, export_id: str) -> dict[str, Any]:
    for _ in range(600):
        body = (await client.get(f"/v1/me/data-export/{export_id}", headers=headers)).json()
        if body["status"] in ("done", "failed"):
            assert body["status"] == "done", body
            return body
        await asyncio.sleep(0.05)
    raise AssertionError(f"data export still {body['status']}")


async def erase(client: AsyncClient, headers: dict, **extra: Any) -> dict[str, Any]:
    """Erase the account and wait for the job to report it done; the final status."""
    body = {"password": PASSWORD, "confirm": "erase my account", **extra}
    response = await client.request("DELETE", "/v1/me", json=body, headers=headers)
    assert response.status_code == 202, response.text
    status_url = response.json()["status_url"]
    for _ in range(600):
        status = (await client.get(status_url)).json()
        if status["status"] == "done":
            return status
        await asyncio.sleep(0.05)
    raise AssertionError(f"erasure still {status['status']}")


def _sqlite_places(path: Path, word: str) -> list[str]:
    """Where the word is in the SQLite file's bytes, its WAL, or a full ``iterdump``."""
    found = [
        candidate.name
        for candidate in (path, path.with_name(path.name + "-wal"))
        if candidate.exists() and word.encode() in candidate.read_bytes()
    ]
    with sqlite3.connect(path) as connection:
        if any(word in line for line in connection.iterdump()):
            found.append("iterdump")
    return found


#: The local store's key for signing its download links: the store's own, not anyone's data.
SIGNING_KEY_FILE = ".signing-key"


def every_stored_object(settings: Settings) -> dict[str, bytes]:
    """Every object in the store, whatever its area, read around cpl: the local folder's files
    (but its signing key), or the bucket's objects through boto3 (blocking)."""
    url = urlsplit(settings.storage_url)
    if url.scheme == "file":
        root = Path(url.path)
        files = [path for path in root.rglob("*") if path.is_file() and path.name != SIGNING_KEY_FILE]
        return {str(path.relative_to(root)): path.read_bytes() for path in files}
    client = s3_client(settings.storage_endpoint_url)
    found = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=url.netloc):
        for item in page.get("Contents", []):
            found[item["Key"]] = client.get_object(Bucket=url.netloc, Key=item["Key"])["Body"].read()
    return found


async def places_holding(settings: Settings, word: str) -> list[str]:
    """Every place the word still is: database columns, database file bytes, stored objects (keys or content)."""
    found = await columns_holding(settings, word)
    path = db.sqlite_path(settings)
    if path is not None:
        found += _sqlite_places(path, word)
    objects = await asyncio.to_thread(every_stored_object, settings)
    found += [f"object {key}" for key, data in objects.items() if word in key or word.encode() in data]
    return found
