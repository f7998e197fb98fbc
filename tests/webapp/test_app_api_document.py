"""The web app's typed API client is generated from ``web/openapi.json``; it must be the service's own document.

So a route changed on the server without regenerating the app's types (``web/scripts/dump_openapi.py``,
then ``npm run build``) fails here, not on a worker's phone. Examples are compared too: every one is
fixed (``tests/openapi/test_document.py``).
"""

from __future__ import annotations

import json
from pathlib import Path

import msgspec

from cpl.app import create_app

APP_DOCUMENT = Path(__file__).resolve().parents[2] / "web" / "openapi.json"


def _plain(value: object) -> object:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    return msgspec.to_builtins(value, enc_hook=_plain)


def test_the_apps_api_document_is_the_services(settings):
    served = json.loads(json.dumps(create_app(settings).openapi_schema.to_schema(), default=_plain))
    committed = json.loads(APP_DOCUMENT.read_text())
    assert committed == served, (
        "web/openapi.json differs from the service's OpenAPI document: regenerate it with "
        "web/scripts/dump_openapi.py and rebuild the app (cd web && npm run build)"
    )
