"""Public routes (no account needed): the verification page of an export and the record's JSON Schema.

Share links are in :mod:`cpl.exports.share_routes`.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files
from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath
from litestar.response import Template

from cpl.accounts.auth import PUBLIC
from cpl.errors import Gone, NotFound
from cpl.exports import service
from cpl.exports.portable_record import SCHEMA_NAME, SCHEMA_PATH
from cpl.exports.schemas import VerificationOut
from cpl.kernel.schemas import ANSWER_MEDIA_TYPES
from cpl.problems import problem_responses
from cpl.settings import Settings

#: What the verification page says of each status, for a person reading it.
VERDICTS = {
    "valid": ("Valid", "This export was issued by the service below and has not been withdrawn or replaced."),
    "revoked": ("Revoked", "The worker has withdrawn this export. Do not rely on it; ask them for a current one."),
    "superseded": ("Superseded", "A newer export of the same record has replaced this one; ask the worker for it."),
}


def _page(settings: Settings, name: str, status: int, **context: Any) -> Template:
    """A verification page (``templates/pages/verify*.html``); it varies with ``Accept``."""
    return Template(
        template_name=f"pages/{name}.html",
        context={"service": settings.service_name, "problem": "", **context},
        status_code=status,
        headers={"Vary": "Accept"},
    )


@lru_cache(maxsize=4)
def record_schema(base_url: str) -> dict[str, Any]:
    """The portable record's JSON Schema (shipped with the package), its ``$id`` this service's URL for it."""
    schema = json.loads(files("cpl.exports").joinpath(SCHEMA_NAME).read_text(encoding="utf-8"))
    return {**schema, "$id": f"{base_url.rstrip('/')}{SCHEMA_PATH}"}


class SchemaController(Controller):
    path = "/v1/schemas"
    tags = ["exports"]

    @get(
        f"/{SCHEMA_NAME}",
        operation_id="getPortableRecordSchema",
        opt={PUBLIC: True},
        media_type="application/schema+json",
    )
    async def portable_record(self, settings: NamedDependency[Settings]) -> dict[str, Any]:
        """The JSON Schema (draft 2020-12) of cpl's portable record, format version 1."""
        return record_schema(settings.public_base_url)


class VerifyController(Controller):
    path = "/verify"
    tags = ["verification"]

    @get(
        "/{export_id:str}",
        operation_id="verifyExport",
        opt={PUBLIC: True, ANSWER_MEDIA_TYPES: ("application/json", "text/html")},
        responses={
            200: ResponseSpec(
                generate_examples=False,
                data_container=VerificationOut,
                description="JSON with Accept: application/json; HTML otherwise",
            ),
            **problem_responses(400, 404, 410, 422),
        },
    )
    async def verify(
        self, request: Request, export_id: FromPath[UUID], settings: NamedDependency[Settings]
    ) -> Response:
        """Who issued this export, whose record, which period, the file's digest, when it was signed and
        whether it still stands (valid, revoked or superseded): what the QR code on every page links to.
        An export of a worker whose account was erased answers 410, withdrawn."""
        wants_json = (
            request.accept.best_match(["text/html", "application/json"], default="text/html") == "application/json"
        )
        try:
            found = await service.verification(settings, export_id)
        except Gone:
            if wants_json:
                raise
            return _page(settings, "verify_withdrawn", 410, export_id=export_id)
        except NotFound:
            if wants_json:
                raise
            return _page(settings, "verify_not_found", 404, export_id=export_id)
        if wants_json:
            return Response(found, headers={"Vary": "Accept"})
        verdict, explanation = VERDICTS[found.status]
        return _page(settings, "verify", 200, found=found, verdict=verdict, explanation=explanation)
