"""What the workforce tests share: days, registrations and reading the workforce over HTTP."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from tests.organisations.helpers import account, join


def day(days_ago: int) -> str:
    return (date.today() - timedelta(days=days_ago)).isoformat()


def url(organisation_id: str) -> str:
    return f"/v1/organisations/{organisation_id}/workforce"


async def register(client, headers, register="sssc", part="elc", renewal_in=1600, cycle_days=200) -> str:
    """A registration of the worker's (SSSC early learning and childcare unless told), its id."""
    registration_id = str(uuid.uuid4())
    body = {
        "register": register,
        "registration_number": "SSSC-1" if register == "sssc" else "12A3456E",
        "part": part,
        "cycle_start": day(cycle_days),
        "renewal_date": day(-renewal_in),
    }
    answer = await client.put(f"/v1/me/registrations/{registration_id}", json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    return registration_id


async def workforce(client, t, **params) -> dict:
    """A page of the team's organisation's workforce, read by its admin."""
    answer = await client.get(url(t.organisation_id), params=params, headers=t.admin)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def worker(client, t, name: str) -> tuple[dict, str]:
    """A new worker of the team's organisation: their Authorization header and id."""
    headers, me = await account(client, name)
    await join(client, t.admin, t.organisation_id, headers, "worker")
    return headers, me["id"]
