"""Test data for competence frameworks: operators, CASE packages, CSV files, look-ups."""

from __future__ import annotations

import copy
import json
import uuid
from pathlib import Path
from typing import Any

from litestar.testing import AsyncTestClient

from cpl.accounts.service import create_account
from cpl.settings import Settings
from tests.factories import PASSWORD

STANDARDS = Path(__file__).resolve().parents[1] / "standards"
CASE_SAMPLES = sorted((STANDARDS / "case-samples").glob("*.json"))
CFPACKAGE_SCHEMA = STANDARDS / "case-1.0" / "cfpackage.schema.json"


def sample(name: str) -> dict[str, Any]:
    """One of OpenSALT's exported CASE packages, as a fresh dict."""
    return json.loads((STANDARDS / "case-samples" / name).read_text())


async def operator(client: AsyncTestClient, settings: Settings) -> dict[str, str]:
    """An operator (admin) account, signed in; returns its Authorization header."""
    email = f"operator-{uuid.uuid4().hex[:8]}@example.org"
    await create_account(settings, email=email, password=PASSWORD, display_name="Operator", is_admin=True)
    response = await client.post("/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


async def import_case(client: AsyncTestClient, headers: dict[str, str], package: Any, **params: str):
    body = package if isinstance(package, (bytes, str)) else json.dumps(package)
    return await client.post(
        "/v1/frameworks/import",
        content=body,
        params=params,
        headers={**headers, "Content-Type": "application/json"},
    )


async def import_csv(client: AsyncTestClient, headers: dict[str, str], text: str | bytes, **params: str):
    body = text.encode() if isinstance(text, str) else text
    return await client.post(
        "/v1/frameworks/import", content=body, params=params, headers={**headers, "Content-Type": "text/csv"}
    )


def generated_package(items: int, *, identifier: str | None = None, version: str = "1", fanout: int = 12) -> dict:
    """A CASE package of ``items`` items in a tree ``fanout`` wide, as a CASE server would export it."""
    document = identifier or str(uuid.uuid4())
    base = "https://case.example.org/ims/case/v1p0"
    doc_link = {"title": "Generated skills", "identifier": document, "uri": f"{base}/CFDocuments/{document}"}
    cf_items, associations = [], []
    identifiers = [str(uuid.uuid5(uuid.UUID(document), f"item {n}")) for n in range(items)]
    for n, item_id in enumerate(identifiers):
        cf_items.append(
            {
                "identifier": item_id,
                "uri": f"{base}/CFItems/{item_id}",
                "humanCodingScheme": f"GEN.{n}",
                "fullStatement": f"Generated skill number {n}: apply technique {n % 97} in setting {n % 13}",
                "CFItemType": "Skill",
                "lastChangeDateTime": "2025-01-01T00:00:00+00:00",
            }
        )
        parent = (
            doc_link
            if n < fanout
            else {
                "title": f"GEN.{n // fanout - 1}",
                "identifier": identifiers[n // fanout - 1],
                "uri": f"{base}/CFItems/{identifiers[n // fanout - 1]}",
            }
        )
        association = str(uuid.uuid5(uuid.UUID(document), f"association {n}"))
        associations.append(
            {
                "identifier": association,
                "uri": f"{base}/CFAssociations/{association}",
                "associationType": "isChildOf",
                "originNodeURI": {"title": f"GEN.{n}", "identifier": item_id, "uri": f"{base}/CFItems/{item_id}"},
                "destinationNodeURI": parent,
                "sequenceNumber": n,
                "lastChangeDateTime": "2025-01-01T00:00:00+00:00",
            }
        )
    return {
        "CFDocument": {
            **doc_link,
            "creator": "Test suite",
            "version": version,
            "lastChangeDateTime": "2025-01-01T00:00:00+00:00",
        },
        "CFItems": cf_items,
        "CFAssociations": associations,
    }


def edited(package: dict, change) -> dict:
    """A deep copy of the package with ``change(copy)`` applied."""
    copied = copy.deepcopy(package)
    change(copied)
    return copied


async def frameworks(client: AsyncTestClient, headers: dict[str, str]) -> list[dict]:
    response = await client.get("/v1/frameworks", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def framework_by_title(client: AsyncTestClient, headers: dict[str, str], title_start: str) -> dict:
    matches = [f for f in await frameworks(client, headers) if f["title"].startswith(title_start)]
    assert len(matches) == 1, matches
    return matches[0]


async def tree(client: AsyncTestClient, headers: dict[str, str], framework_id: str) -> dict:
    response = await client.get(f"/v1/frameworks/{framework_id}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def flatten(nodes: list[dict]) -> list[dict]:
    """Every node of a tree, in pre-order."""
    out = []
    for node in nodes:
        out.append(node)
        out.extend(flatten(node["children"]))
    return out


async def items_by_code(client: AsyncTestClient, headers: dict[str, str], title_start: str) -> dict[str, dict]:
    framework = await framework_by_title(client, headers, title_start)
    return {node["code"]: node for node in flatten((await tree(client, headers, framework["id"]))["items"])}
