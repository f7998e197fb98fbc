"""Test data for requirement packs: registrations, entries on chosen dates, links, progress."""

from __future__ import annotations

import uuid
from typing import Any

from httpx import AsyncClient

from tests.competences.helpers import items_by_code
from tests.factories import put_entry

#: Titles the built-in frameworks start with (src/cpl/competences/data).
FRAMEWORK_TITLES = {
    "nmc-code": "The NMC Code",
    "sssc-cpl": "SSSC continuous professional learning",
    "hcpc-cpd-standards": "HCPC standards of continuing",
}


async def register_on(
    client: AsyncClient,
    headers: dict[str, str],
    register: str,
    part: str,
    cycle_start: str,
    renewal_date: str,
    **extra: Any,
) -> dict[str, Any]:
    body = {
        "register": register,
        "registration_number": "REG-1",
        "part": part,
        "cycle_start": cycle_start,
        "renewal_date": renewal_date,
        **extra,
    }
    response = await client.put(f"/v1/me/registrations/{uuid.uuid4()}", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def log(
    client: AsyncClient, headers: dict[str, str], occurred_on: str, minutes: int = 60, **overrides: Any
) -> dict:
    """An entry on a given day (a learning activity unless ``kind`` says otherwise)."""
    return await put_entry(client, headers, occurred_on=occurred_on, duration_minutes=minutes, **overrides)


async def link(client: AsyncClient, headers: dict[str, str], entry_id: str, *item_ids: str) -> None:
    response = await client.put(
        f"/v1/evidence/{entry_id}/competences",
        json={"links": [{"item_id": item} for item in item_ids]},
        headers=headers,
    )
    assert response.status_code == 200, response.text


async def item_ids(client: AsyncClient, headers: dict[str, str], framework: str) -> dict[str, str]:
    """Code → item id in the built-in framework with this key."""
    return {
        code: node["id"] for code, node in (await items_by_code(client, headers, FRAMEWORK_TITLES[framework])).items()
    }


async def progress(client: AsyncClient, headers: dict[str, str], as_of: str) -> dict[str, Any]:
    response = await client.get("/v1/me/progress", params={"as_of": as_of}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def rule(
    client: AsyncClient, headers: dict[str, str], as_of: str, rule_id: str, register: str | None = None
) -> dict:
    """One rule's progress as of a day (of the only registration, or the one on ``register``)."""
    body = await progress(client, headers, as_of)
    registrations = [r for r in body["registrations"] if register is None or r["registration"]["register"] == register]
    assert len(registrations) == 1, registrations
    found = [item for item in registrations[0]["rules"] if item["id"] == rule_id]
    assert len(found) == 1, [item["id"] for item in registrations[0]["rules"]]
    return found[0]
