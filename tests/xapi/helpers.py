"""An employer with an LRS credential and a consenting worker, and xAPI statements, for issue 19's tests."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from typing import Any

from httpx import AsyncClient

from tests.organisations.helpers import account, join, organisation

VERSION = {"X-Experience-API-Version": "1.0.3"}
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"


def basic(key: str, secret: str) -> dict[str, str]:
    token = base64.b64encode(f"{key}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {token}", **VERSION}


@dataclass
class Employer:
    organisation_id: str
    admin: dict[str, str]
    worker: dict[str, str]
    worker_email: str
    #: HTTP Basic and version headers of the organisation's learning system.
    lrs: dict[str, str]
    credential_id: str


async def credential(client: AsyncClient, admin: dict[str, str], organisation_id: str) -> dict[str, Any]:
    made = await client.post(
        f"/v1/organisations/{organisation_id}/lrs-credentials", json={"label": "Moodle"}, headers=admin
    )
    assert made.status_code == 201, made.text
    return made.json()


async def consent(client: AsyncClient, worker: dict[str, str], organisation_id: str) -> None:
    given = await client.put(f"/v1/me/suggestion-consents/{organisation_id}", headers=worker)
    assert given.status_code in (200, 201), given.text


async def employer(client: AsyncClient, *, consenting: bool = True, name: str = "Riverside Care") -> Employer:
    """An employer, its admin, a worker (who agreed to its suggestions unless told otherwise) and
    credentials for its learning system."""
    admin, _ = await account(client, "Ada Admin")
    organisation_id = await organisation(client, admin, name=name)
    worker, me = await account(client, "Wren Worker")
    await join(client, admin, organisation_id, worker, "worker")
    if consenting:
        await consent(client, worker, organisation_id)
    made = await credential(client, admin, organisation_id)
    return Employer(organisation_id, admin, worker, me["email"], basic(made["key"], made["secret"]), made["id"])


def statement(email: str, **changes: Any) -> dict[str, Any]:
    """A statement that the person completed a 90-minute e-learning course on safeguarding."""
    body: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "name": "Wren", "mbox": f"mailto:{email}"},
        "verb": {"id": COMPLETED, "display": {"en-US": "completed"}},
        "object": {
            "objectType": "Activity",
            "id": "https://lms.example.org/courses/safeguarding-adults-2",
            "definition": {
                "name": {"de": "Schutz von Erwachsenen", "en-GB": "Safeguarding adults, level 2"},
                "type": "http://adlnet.gov/expapi/activities/module",
            },
        },
        "result": {"completion": True, "success": True, "duration": "PT1H30M"},
        "timestamp": "2025-03-04T10:15:00+00:00",
    }
    body.update(changes)
    return body


def voiding(target_id: str) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "mbox": "mailto:lms@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/voided", "display": {"en-US": "voided"}},
        "object": {"objectType": "StatementRef", "id": target_id},
    }


async def suggestions(client: AsyncClient, worker: dict[str, str]) -> list[dict[str, Any]]:
    answer = await client.get("/v1/me/suggestions", headers=worker)
    assert answer.status_code == 200, answer.text
    return answer.json()
