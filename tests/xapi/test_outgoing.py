"""A worker's entries as xAPI statements (issue 19, item 4), checked against the statement structure.

The schema below is the part of xAPI 1.0.3 Part Two §2.4 (Statement) and §2.5 (StatementResult)
these statements use, written from the specification: required properties, an Agent with an
``mbox`` IFI, IRIs, language maps, an ISO 8601 duration and timestamp, extensions keyed by IRIs.
The statements also pass cpl's own LRS checks (they could be posted back to an LRS).
"""

from __future__ import annotations

import jsonschema

from cpl.xapi.statements import read_statement
from tests.factories import entry_body
from tests.organisations.helpers import account

IRI = {"type": "string", "pattern": r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$"}
LANGUAGE_MAP = {"type": "object", "minProperties": 1, "additionalProperties": {"type": "string"}}
STATEMENT = {
    "type": "object",
    "required": ["id", "actor", "verb", "object", "timestamp"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "actor": {
            "type": "object",
            "required": ["objectType", "mbox"],
            "properties": {
                "objectType": {"const": "Agent"},
                "name": {"type": "string"},
                "mbox": {"type": "string", "pattern": r"^mailto:[^@\s]+@[^@\s]+$"},
            },
            "additionalProperties": False,
        },
        "verb": {
            "type": "object",
            "required": ["id"],
            "properties": {"id": IRI, "display": LANGUAGE_MAP},
            "additionalProperties": False,
        },
        "object": {
            "type": "object",
            "required": ["id"],
            "properties": {
                "objectType": {"const": "Activity"},
                "id": IRI,
                "definition": {
                    "type": "object",
                    "properties": {"name": LANGUAGE_MAP, "description": LANGUAGE_MAP, "type": IRI},
                    "additionalProperties": False,
                },
            },
            "additionalProperties": False,
        },
        "result": {
            "type": "object",
            "properties": {
                "completion": {"type": "boolean"},
                "duration": {"type": "string", "pattern": r"^PT(\d+H)?(\d+M)?$"},
            },
            "additionalProperties": False,
        },
        "context": {
            "type": "object",
            "properties": {
                "platform": {"type": "string"},
                "extensions": {"type": "object", "propertyNames": IRI},
            },
            "additionalProperties": False,
        },
        "timestamp": {"type": "string", "format": "date-time"},
        "version": {"type": "string", "pattern": r"^1\.0\.\d+$"},
    },
}
STATEMENT_RESULT = {
    "type": "object",
    "required": ["statements"],
    "properties": {"statements": {"type": "array", "items": STATEMENT}, "more": {"type": "string"}},
    "additionalProperties": False,
}


async def test_entries_are_valid_xapi_statements_with_stable_ids(client, settings):
    worker, me = await account(client, "Wren Worker")
    course = entry_body(activity_type="course", duration_minutes=150, title="Fire safety", description="Annual")
    reflection = entry_body(kind="reflective_account", duration_minutes=30)
    for body, entry_id in ((course, "0b6c3a4e-4d2f-4b43-9d0f-1c1e2a7b9a11"), (reflection, None)):
        path = f"/v1/evidence/{entry_id}" if entry_id else "/v1/evidence"
        saved = await (
            client.put(path, json=body, headers=worker) if entry_id else client.post(path, json=body, headers=worker)
        )
        assert saved.status_code == 201, saved.text
    answer = await client.get("/v1/me/xapi/statements", headers=worker)
    assert answer.status_code == 200
    document = answer.json()
    jsonschema.validate(document, STATEMENT_RESULT, format_checker=jsonschema.FormatChecker())
    first, second = document["statements"]
    for position, statement in enumerate(document["statements"]):
        read_statement(position, statement)
    base = settings.public_base_url.rstrip("/")
    assert first["actor"]["mbox"] == f"mailto:{me['email']}"
    assert first["verb"]["id"] == "http://adlnet.gov/expapi/verbs/completed"
    assert second["verb"]["id"] == "http://adlnet.gov/expapi/verbs/experienced"
    assert first["object"]["id"] == f"{base}/xapi/activities/entries/0b6c3a4e-4d2f-4b43-9d0f-1c1e2a7b9a11"
    assert first["object"]["definition"] == {
        "name": {"en": "Fire safety"},
        "description": {"en": "Annual"},
        "type": "http://adlnet.gov/expapi/activities/course",
    }
    assert first["result"]["duration"] == "PT2H30M"
    assert first["context"]["extensions"][f"{base}/xapi/extensions/cpd-minutes"] == 150
    assert first["timestamp"] == f"{course['occurred_on']}T00:00:00Z"
    again = (await client.get("/v1/me/xapi/statements", headers=worker)).json()
    assert again == document
    assert (await client.get("/v1/me/xapi/statements")).status_code == 401
