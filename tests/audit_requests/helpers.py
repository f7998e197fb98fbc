"""A regulator with an auditor, and workers, made through the API, for the audit request tests."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, timedelta

from httpx import AsyncClient

from tests.organisations.helpers import account, join, organisation

REGISTRATION = {
    "register": "hcpc",
    "registration_number": "REG-1",
    "part": "paramedic",
    "cycle_start": "2024-01-01",
    "renewal_date": "2026-01-01",
}


@dataclass
class Regulator:
    organisation_id: str
    admin: dict[str, str]
    auditor: dict[str, str]
    auditor_email: str


async def regulator(client: AsyncClient, name: str = "Health Regulator") -> Regulator:
    admin, _ = await account(client, "Rae Admin")
    organisation_id = await organisation(client, admin, kind="regulator", name=name)
    auditor, me = await account(client, "Ari Auditor")
    await join(client, admin, organisation_id, auditor, "auditor")
    return Regulator(organisation_id, admin, auditor, me["email"])


def request_body(regulator_id: str, worker_email: str, **overrides) -> dict:
    deadline = (date.today() + timedelta(days=28)).isoformat()
    return {
        "organisation_id": regulator_id,
        "email": worker_email,
        "register": "hcpc",
        "period": {"from": "2024-01-01", "to": "2025-12-31"},
        "deadline": deadline,
        "message": "You were selected for the CPD audit.",
        **overrides,
    }


async def ask(client: AsyncClient, reg: Regulator, email: str, **overrides) -> dict:
    response = await client.post(
        "/v1/audit-requests", json=request_body(reg.organisation_id, email, **overrides), headers=reg.auditor
    )
    assert response.status_code == 201, response.text
    return response.json()


async def finished_export(client: AsyncClient, worker: dict[str, str], selection: dict | None = None) -> str:
    started = await client.post("/v1/exports", json={"format": "json", "selection": selection or {}}, headers=worker)
    assert started.status_code == 202, started.text
    export = started.json()
    for _ in range(300):
        export = (await client.get(f"/v1/exports/{export['id']}", headers=worker)).json()
        if export["status"] in ("done", "failed"):
            break
        await asyncio.sleep(0.05)
    assert export["status"] == "done", export
    return export["id"]


async def answer(client: AsyncClient, worker: dict[str, str], request_id: str, export_id: str, note: str = ""):
    return await client.post(
        f"/v1/me/audit-requests/{request_id}/answer", json={"export_id": export_id, "note": note}, headers=worker
    )
