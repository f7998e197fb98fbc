"""The OpenAPI document (``/schema/openapi.json``) and its browsable view (``/schema/swagger``).

What the document promises, each taken from the code that enforces it, so the two cannot drift:

- **Security per operation**: an operation needs a bearer token (or the web app's cookie) unless its
  handler is marked public (``opt={PUBLIC: True}``), the same mark the authentication middleware
  reads; public operations say ``security: []`` (OpenAPI 3.1 §4.8.10: an empty list removes the
  document's requirement).
- **Summary and description** come from each handler's docstring: its first line, then all of it.
- **OPTIONS** answers list every method of the path (``Allow``, RFC 9110 §10.2.1); Litestar's own
  answer listed only the methods of the first handler registered on the path.

Swagger UI's files are served by cpl itself, from the ``swagger-ui-py`` package that ships them,
under a Content-Security-Policy that lets the page load nothing from elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from inspect import cleandoc
from pathlib import Path
from typing import ClassVar

import swagger_ui
from litestar import Litestar, MediaType, Request, Response, Router, get
from litestar.datastructures import ResponseHeader
from litestar.exceptions import NotFoundException
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, OpenAPIRenderPlugin
from litestar.openapi.spec import (
    Components,
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Reference,
    RequestBody,
    Schema,
    SecurityRequirement,
    SecurityScheme,
)
from litestar.params import FromPath
from litestar.response import File
from litestar.routes import HTTPRoute
from litestar.utils.helpers import unwrap_partial

from cpl.accounts.auth import PUBLIC
from cpl.accounts.cookies import APP_HEADER, SECURE_COOKIE
from cpl.kernel.schemas import ANSWER_MEDIA_TYPES, BODY_MEDIA_TYPES
from cpl.problems import DESCRIPTIONS, PROBLEM_MEDIA_TYPE

#: Swagger UI's build, as the ``swagger-ui-py`` package ships it (Swagger UI 5: reads OpenAPI 3.1).
SWAGGER_UI_FOLDER = Path(swagger_ui.__file__).parent / "static"
SWAGGER_UI_FILES = {
    "swagger-ui.css": "text/css; charset=utf-8",
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
}
#: The page's scripts and styles come from cpl only (Swagger UI sets some inline styles).
SWAGGER_UI_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>cpl API</title>
<link rel="stylesheet" href="/schema/swagger-ui/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/schema/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/schema/swagger-ui/start.js"></script>
</body>
</html>
"""
_START = 'window.ui = SwaggerUIBundle({url: "/schema/openapi.json", dom_id: "#swagger-ui"});\n'


class SwaggerUI(OpenAPIRenderPlugin):
    """Swagger UI, every file of it served by cpl (no CDN)."""

    def __init__(self) -> None:
        super().__init__(path="/swagger")

    def render(self, request: Request, openapi_schema: dict) -> bytes:
        return _PAGE.encode()


@get("/swagger-ui/start.js", media_type="text/javascript; charset=utf-8", sync_to_thread=False)
def swagger_ui_start() -> str:
    return _START


@get("/swagger-ui/{name:str}", sync_to_thread=False)
def swagger_ui_file(name: FromPath[str]) -> File:
    if name not in SWAGGER_UI_FILES:
        raise NotFoundException()
    return File(SWAGGER_UI_FOLDER / name, media_type=SWAGGER_UI_FILES[name], content_disposition_type="inline")


#: How clients authenticate, as the OpenAPI document tells them.
SECURITY_SCHEMES = {
    "bearer": SecurityScheme(type="http", scheme="bearer"),
    "appCookie": SecurityScheme(
        type="apiKey",
        name=SECURE_COOKIE,
        security_scheme_in="cookie",
        description=f"cpl's web app only: the session cookie set at sign-in, accepted only with `{APP_HEADER}: 1`",
    ),
}
AUTHENTICATED: list[SecurityRequirement] = [{"bearer": []}, {"appCookie": []}]


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="cpl",
        version="0.1.0",
        description="Continuous professional learning records that belong to the learner.",
        path="/schema",
        render_plugins=[JsonRenderPlugin(), SwaggerUI()],
        components=Components(security_schemes=SECURITY_SCHEMES),
        security=AUTHENTICATED,
        use_handler_docstrings=True,
        openapi_router=Router(
            "/schema",
            route_handlers=[swagger_ui_start, swagger_ui_file],
            include_in_schema=False,
            response_headers=[ResponseHeader(name="Content-Security-Policy", value=SWAGGER_UI_CSP)],
        ),
    )


def _summary(docstring: str) -> str:
    """The docstring's first sentence, without its full stop."""
    first_sentence = docstring.split("\n\n", 1)[0].replace("\n", " ").split(". ", 1)[0].strip()
    return first_sentence.removesuffix(".")


_BINARY = Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY)
_UPLOAD_FORM = Schema(type=OpenAPIType.OBJECT, properties={"file": _BINARY}, required=["file"])
_BODY_SCHEMAS = {"multipart/form-data": _UPLOAD_FORM, "application/json": Schema(type=OpenAPIType.OBJECT)}
_PROBLEM = Reference(ref="#/components/schemas/Problem")


@dataclass
class DocumentedOperation(Operation):
    """An operation as cpl answers it.

    - A 204 answer has no content (Litestar gives ``Response[None]``, such as logout's, a JSON null).
    - A 400 is a problem document, as :mod:`cpl.problems` sends it (Litestar documents its own shape).
    - Answers and bodies that are not JSON are documented from the route's ``opt``
      (:data:`~cpl.kernel.schemas.ANSWER_MEDIA_TYPES`, :data:`~cpl.kernel.schemas.BODY_MEDIA_TYPES`).
    """

    answer_media_types: ClassVar[tuple[str, ...]] = ()
    body_media_types: ClassVar[tuple[str, ...]] = ()

    def __post_init__(self) -> None:
        responses = self.responses or {}
        no_content = responses.get("204")
        if isinstance(no_content, OpenAPIResponse):
            no_content.content = None
        malformed = responses.get("400")
        if isinstance(malformed, OpenAPIResponse) and "application/json" in (malformed.content or {}):
            responses["400"] = OpenAPIResponse(
                description=DESCRIPTIONS[400], content={PROBLEM_MEDIA_TYPE: OpenAPIMediaType(schema=_PROBLEM)}
            )
        if self.answer_media_types:
            self._document_answer(responses)
        if self.body_media_types:
            self.request_body = RequestBody(
                required=True,
                content={
                    media_type: OpenAPIMediaType(schema=_BODY_SCHEMAS.get(media_type, _BINARY))
                    for media_type in self.body_media_types
                },
            )

    def _document_answer(self, responses: dict) -> None:
        status = next(status for status in sorted(responses) if status.startswith("2"))
        answer = responses[status]
        json = (answer.content or {}).get("application/json")
        answer.content = {
            media_type: json if media_type == "application/json" and json else OpenAPIMediaType(schema=_BINARY)
            for media_type in self.answer_media_types
        }


@dataclass
class PublicOperation(DocumentedOperation):
    """An operation anyone may call: ``security: []`` overrides the document's requirement."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.security = []


def document_operations(app: Litestar) -> None:
    """Give every documented operation its security and summary from its handler (see the module)."""
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            if not isinstance(handler, HTTPRouteHandler) or not handler.resolve_include_in_schema():
                continue
            operation = PublicOperation if handler.opt.get(PUBLIC) else DocumentedOperation
            media_types = {
                "answer_media_types": handler.opt.get(ANSWER_MEDIA_TYPES, ()),
                "body_media_types": handler.opt.get(BODY_MEDIA_TYPES, ()),
            }
            if any(media_types.values()):
                operation = dataclass(type(operation.__name__, (operation,), media_types))
            handler.operation_class = operation
            docstring = cleandoc(unwrap_partial(handler.fn).__doc__ or "")
            if docstring and handler.summary is None:
                handler.summary = _summary(docstring)


def allowed_methods(routes: Sequence[object]) -> dict[str, str]:
    """Each path's methods, as an ``Allow`` header lists them."""
    return {route.path_format: ", ".join(sorted(route.methods)) for route in routes if isinstance(route, HTTPRoute)}


async def answer_options(request: Request) -> Response | None:
    """``before_request``: ``OPTIONS`` answers with every method of the path (OPTIONS is rare:
    the map is built on each)."""
    if request.method != "OPTIONS":
        return None
    allow = allowed_methods(request.app.routes).get(request.scope.get("path_template", ""))
    if allow is None:
        return None
    return Response(None, status_code=204, headers={"Allow": allow}, media_type=MediaType.TEXT)
