"""Print cpl's OpenAPI document as stable JSON (sorted keys) for web/openapi.json.

Run from the repository root with the project's venv:
    CPL_DATA_DIR=$(mktemp -d) .venv/bin/python web/scripts/dump_openapi.py > web/openapi.json
Examples in the schema hold pydantic models and msgspec structs, so both are turned into plain JSON here.
"""

import json

import msgspec

from cpl.app import create_app


def plain(value: object) -> object:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    return msgspec.to_builtins(value, enc_hook=plain)


print(json.dumps(create_app().openapi_schema.to_schema(), indent=2, sort_keys=True, default=plain))
