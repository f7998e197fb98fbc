"""Simulated phones: each writes through the proxy as the web app does (PUT, batch, attachments,
sync), retries what failed with the same ids, and remembers every write the service acknowledged."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field

import httpx

from tests.factories import entry_body

#: Between two writes of one phone: 50 phones then send about as much as this 2-core machine,
#: shared with the three nodes, PostgreSQL and nginx, serves while nodes restart.
PAUSE_SECONDS = 0.3


@dataclass
class Phone:
    headers: dict[str, str]
    #: Entry ids whose write was acknowledged (2xx), in the order acknowledged.
    entries: list[str] = field(default_factory=list)
    #: Attachment ids the service acknowledged.
    attachments: list[str] = field(default_factory=list)
    #: Requests that failed (not 2xx, or no answer), as ``(phase, what)``.
    failures: list[tuple[str, str]] = field(default_factory=list)
    #: The last acknowledged answer.
    last: httpx.Response | None = None


@dataclass
class Phase:
    """What the phones are living through now (failures are counted against it)."""

    name: str = "warm-up"
    running: bool = True


async def _send(client: httpx.AsyncClient, phone: Phone, phase: Phase, method: str, url: str, **kwargs) -> bool:
    """One request, retried (as a phone's outbox does) until acknowledged; failures are recorded."""
    while True:
        try:
            response = await client.request(method, url, headers=phone.headers, **kwargs)
        except httpx.TransportError as error:
            phone.failures.append((phase.name, f"{method} {url}: {error!r}"))
        else:
            if response.is_success:
                phone.last = response
                return True
            phone.failures.append((phase.name, f"{method} {url}: {response.status_code} {response.text[:200]}"))
        await asyncio.sleep(0.2)


async def _one_write(client: httpx.AsyncClient, phone: Phone, phase: Phase, step: int) -> None:
    if step % 4 == 0:
        entry_id = str(uuid.uuid4())
        await _send(client, phone, phase, "PUT", f"/v1/evidence/{entry_id}", json=entry_body())
        phone.entries.append(entry_id)
    elif step % 4 == 1:
        batch = [{"id": str(uuid.uuid4()), **entry_body()} for _ in range(5)]
        await _send(client, phone, phase, "POST", "/v1/evidence/batch", json={"entries": batch})
        phone.entries.extend(item["id"] for item in batch)
    elif step % 4 == 2 and phone.entries:
        data = f"certificate {uuid.uuid4()}\n".encode()
        url = f"/v1/evidence/{phone.entries[-1]}/attachments"
        await _send(client, phone, phase, "POST", url, files={"file": ("certificate.txt", data, "text/plain")})
        phone.attachments.append(phone.last.json()["id"])
    else:
        await _send(client, phone, phase, "GET", "/v1/sync", params={"limit": 20})


async def live(client: httpx.AsyncClient, phone: Phone, phase: Phase) -> None:
    """Write until the phase says stop."""
    step = 0
    while phase.running:
        await _one_write(client, phone, phase, step)
        step += 1
        await asyncio.sleep(PAUSE_SECONDS)


async def sync_from_zero(client: httpx.AsyncClient, phone: Phone) -> list[dict]:
    changes: list[dict] = []
    since = None
    while True:
        params = {"limit": 200, **({"since": since} if since else {})}
        page = (await client.get("/v1/sync", params=params, headers=phone.headers)).json()
        changes.extend(page["changes"])
        since = page["next_cursor"]
        if not page["has_more"]:
            return changes
