"""Every error leaves the service as ``application/problem+json`` (RFC 9457), mapped here once."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example
from prometheus_client import Counter
from pydantic import BaseModel

from cpl import errors
from cpl.database_faults import is_database_outage

logger = logging.getLogger("cpl")

PROBLEM_MEDIA_TYPE = "application/problem+json"

STATUS_OF: dict[type[errors.CplError], int] = {
    errors.MalformedRequest: 400,
    errors.NotAuthenticated: 401,
    errors.NotAllowed: 403,
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.Gone: 410,
    errors.PreconditionFailed: 412,
    errors.InvalidInput: 422,
    errors.PreconditionRequired: 428,
    errors.TooManyAttempts: 429,
    errors.DatabaseUnavailable: 503,
    errors.Overloaded: 503,
    errors.TooLarge: 413,
    errors.UnsupportedType: 415,
    errors.StorageUnavailable: 503,
    errors.SignatureInvalid: 422,
}

DESCRIPTIONS = {
    400: "Malformed request (unreadable JSON, bad header)",
    401: "Missing, invalid or expired bearer token",
    403: "Not allowed",
    404: "Not found, or not yours to see",
    409: "Conflict with the current state or a request still in flight",
    410: "The entry was deleted",
    412: "If-Match does not match the current version",
    413: "Request body too large",
    422: "Invalid input; `errors` names the fields",
    428: "If-Match is required to change an existing entry",
    429: "Too many failed attempts; retry after the Retry-After seconds",
    503: "A backing service is unavailable",
    415: "The file's bytes are not an accepted type",
}


class FieldError(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None


#: One fixed, typical problem per status for the OpenAPI document (never generated at random).
EXAMPLES: dict[int, dict[str, Any]] = {
    400: {"title": "Malformed request", "detail": "The body is not valid JSON."},
    401: {"title": "Not authenticated", "detail": "Send a bearer token ('Authorization: Bearer <token>')."},
    403: {"title": "Not allowed", "detail": "Only the organisation's admins may do this."},
    404: {"title": "Not found", "detail": "No evidence entry with this id."},
    409: {
        "title": "Conflict",
        "detail": "A request with this Idempotency-Key is still being processed; retry shortly.",
    },
    410: {"title": "Deleted", "detail": "This evidence entry was deleted."},
    412: {"title": "Precondition failed", "detail": "The entry has changed since version 2; it is now at version 3."},
    413: {"title": "Too large", "detail": "The request body is larger than 1048576 bytes."},
    415: {"title": "Unsupported file type", "detail": "The file's bytes are not an accepted type."},
    422: {
        "title": "Invalid input",
        "detail": "Some fields are invalid; see `errors`.",
        "errors": [{"field": "title", "message": "String should have at least 1 character"}],
    },
    428: {"title": "Precondition required", "detail": "Send If-Match with the entry's ETag to change it."},
    429: {"title": "Too many attempts", "detail": "Too many failed attempts; retry in 60 seconds."},
    503: {"title": "Database unavailable", "detail": "The database does not answer."},
}


def problem_responses(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI entries for the error statuses a route can answer with, each with a fixed example."""
    return {
        status: ResponseSpec(
            data_container=Problem,
            description=DESCRIPTIONS[status],
            media_type=PROBLEM_MEDIA_TYPE,
            generate_examples=False,
            examples=[
                Example(
                    summary=DESCRIPTIONS[status], value={"type": "about:blank", "status": status, **EXAMPLES[status]}
                )
            ],
        )
        for status in statuses
    }


def problem_response(
    status: int,
    title: str,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict | None = None,
    problem_type: str = "about:blank",
) -> Response[dict[str, Any]]:
    body: dict[str, Any] = {"type": problem_type, "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    return Response(content=body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def status_of(error: errors.CplError) -> int:
    """The HTTP status a domain error answers with (also for server-rendered pages)."""
    for cls in type(error).__mro__:
        if cls in STATUS_OF:
            return STATUS_OF[cls]
    return 400


#: Refusals by a throttle (429) or a full queue (503 Busy), per route template (see :mod:`cpl.metrics`).
THROTTLED = Counter("cpl_throttled_total", "Requests refused by a throttle or a full queue", ["route", "kind"])


def handle_domain_error(request: Request, error: errors.CplError) -> Response:
    if isinstance(error, errors.TooManyAttempts | errors.Overloaded):
        THROTTLED.labels(str(request.scope.get("path_template", "")), type(error).__name__).inc()
    return problem_response(status_of(error), error.title, error.detail, error.errors, error.headers, error.type)


#: Every route names its request body ``data`` (Litestar's reserved keyword for it).
_BODY_KEYWORD = "data"


def _public_name(request: Request, key: str) -> str:
    """The name a client uses for a handler's parameter: its query or header name when it has one
    (``from``, which Python cannot name a parameter), else the parameter's own."""
    parameter = request.route_handler.parsed_fn_signature.parameters.get(key)
    definition = getattr(parameter, "kwarg_definition", None)
    names = (getattr(definition, attribute, None) for attribute in ("name", "query", "header"))
    return next((name for name in names if isinstance(name, str) and name), key)


def _field_error(item: dict[str, Any], request: Request | None = None) -> dict[str, str]:
    """One of Litestar's parsing failures, in the API's words: a body that is not there is
    "missing", where Litestar says only the body keyword's name (``'data'``, a ``KeyError``)."""
    key, message = str(item.get("key") or item.get("source") or "body"), str(item.get("message"))
    if key == _BODY_KEYWORD:
        if message == repr(_BODY_KEYWORD):
            message = "missing: this request needs a JSON body"
        return {"field": "body", "message": message}
    return {"field": _public_name(request, key) if request is not None else key, "message": message}


def handle_validation_error(request: Request, error: ValidationException) -> Response:
    """Litestar's own parsing failures: unreadable bodies are 400, well-formed but wrong ones 422."""
    field_errors = [
        _field_error(item, request)
        for item in (error.extra if isinstance(error.extra, list) else [])
        if isinstance(item, dict)
    ]
    if not field_errors:
        return problem_response(400, "Malformed request", str(error.detail))
    if field_errors == [_field_error({"key": _BODY_KEYWORD, "message": repr(_BODY_KEYWORD)})]:
        return problem_response(422, "Invalid input", "The request body is missing; send it as JSON.", field_errors)
    return problem_response(422, "Invalid input", "Some fields are invalid; see `errors`.", field_errors)


def handle_http_error(_: Request, error: HTTPException) -> Response:
    title = {404: "Not found", 405: "Method not allowed", 413: "Request body too large"}.get(
        error.status_code, "Request failed"
    )
    return problem_response(error.status_code, title, str(error.detail), headers=error.headers)


#: How long a client is asked to wait before retrying while the database is unreachable.
DATABASE_RETRY_AFTER_SECONDS = 5


def handle_unexpected_error(request: Request, error: Exception) -> Response:
    """A 500 is always a bug: log it in full, tell the client nothing internal.

    A database that cannot be reached is not a bug: 503 with ``Retry-After``, logged once per
    outage by the app's :class:`~cpl.database_faults.OutageLog` (``app.state.database_outage``).
    """
    if is_database_outage(error):
        outage = request.app.state.get("database_outage")
        if outage is not None:
            outage.failed(error)
        return problem_response(
            503,
            errors.DatabaseUnavailable.title,
            "The database is not answering; try again shortly.",
            headers={"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)},
        )
    logger.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
    return problem_response(500, "Internal error", "Something went wrong on our side; it has been logged.")


EXCEPTION_HANDLERS = {
    errors.CplError: handle_domain_error,
    ValidationException: handle_validation_error,
    HTTPException: handle_http_error,
    Exception: handle_unexpected_error,
}
