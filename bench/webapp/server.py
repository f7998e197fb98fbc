"""The server the phone talks to: ``cpl serve --demo`` on a free port with a scratch data folder
(SQLite, local files), serving the committed build of the app at ``/app/``; and the API calls the
bench makes itself (accounts, the record as the API lists it, the baseline's batches).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench.servers import HOST, cpl_environment, cpl_serve_command, free_port, running, wait_healthy

DEMO_EMAIL, DEMO_PASSWORD = "demo@cpl.example", "demo-password-123"
PASSWORD = "bench-password-123"
#: The cheapest argon2id cost cpl accepts: only sign-ins and accounts get faster, nothing measured.
FAST_HASHING = {"argon2_time_cost": "1", "argon2_memory_cost_kib": "64", "argon2_parallelism": "1"}
APP_HEADER = {"X-CPL-App": "1"}
SESSION_COOKIE = "__Host-cpl_session"


@contextmanager
def cpl_app_server(work: Path) -> Iterator[str]:
    """``cpl serve --demo`` for the block; its base URL. Fails if the app's build is missing."""
    port = free_port()
    base_url = f"http://{HOST}:{port}"
    environment = cpl_environment(data_dir=str(work / "cpl-data"), public_base_url=base_url, **FAST_HASHING)
    with running("cpl serve", [*cpl_serve_command(port), "--demo"], environment, work / "cpl-serve.log") as server:
        asyncio.run(wait_healthy(server))
        _wait_for_build(base_url)
        yield base_url


def _wait_for_build(base_url: str, seconds: float = 300) -> None:
    """The app is being rebuilt by others at times: wait until index.html and its script answer 200."""
    deadline = time.monotonic() + seconds
    while True:
        index = httpx.get(f"{base_url}/app/", timeout=10)
        if index.status_code == 200 and "/app/assets/" in index.text:
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"/app/ answered {index.status_code} for {seconds:.0f} s: is the build missing?")
        time.sleep(5)


@dataclass(frozen=True)
class Worker:
    email: str
    password: str = PASSWORD


def new_worker(base_url: str) -> Worker:
    """A worker with an empty record, registered through the API."""
    worker = Worker(f"bench-{uuid.uuid4().hex[:10]}@example.org")
    body = {"email": worker.email, "password": worker.password, "display_name": "Bench Worker"}
    answer = httpx.post(f"{base_url}/v1/auth/register", json=body, timeout=60)
    answer.raise_for_status()
    return worker


def bearer_client(base_url: str, worker: Worker) -> httpx.Client:
    """An API client signed in as the worker with a bearer token (the way other clients call cpl)."""
    client = httpx.Client(base_url=base_url, timeout=120)
    body = {"email": worker.email, "password": worker.password, "device_name": "bench"}
    login = client.post("/v1/auth/login", json=body)
    login.raise_for_status()
    client.headers["Authorization"] = f"Bearer {login.json()['token']}"
    return client


def session_cookie(base_url: str, worker: Worker) -> str:
    """The app's HttpOnly session cookie for the worker, as a ``Cookie`` header value (for Lighthouse)."""
    body = {"email": worker.email, "password": worker.password, "device_name": "lighthouse"}
    login = httpx.post(f"{base_url}/v1/auth/login", json=body, headers=APP_HEADER, timeout=60)
    login.raise_for_status()
    return f"{SESSION_COOKIE}={login.cookies[SESSION_COOKIE]}"


def listed_entries(client: httpx.Client) -> list[dict[str, Any]]:
    """Every live entry of the worker, through the sync feed followed to its end."""
    changes: dict[str, dict[str, Any]] = {}
    cursor = None
    while True:
        page = client.get("/v1/sync", params={"limit": 200, **({"since": cursor} if cursor else {})})
        page.raise_for_status()
        body = page.json()
        changes.update({change["id"]: change for change in body["changes"]})
        cursor = body["next_cursor"]
        if not body["has_more"]:
            return [change["entry"] for change in changes.values() if not change["deleted"]]
