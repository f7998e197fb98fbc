"""A request id on every request, its log lines and its answer; and logs as JSON when asked.

Every request gets an id, returned as ``X-Request-Id``. An id sent by the client is kept only
when the TCP peer is one of ``CPL_TRUSTED_PROXIES`` (the proxy in front, which set it for its
own log) and it looks like an id (at most 128 letters, digits and ``-_.:``); otherwise cpl
makes one. The id lives in a context variable for the request's task, so every log record
made while serving it — and in the work the request leaves behind it (a promotion after the
response, a job it queued in this process) — carries it as ``request_id``.

``CPL_LOG_FORMAT=json`` writes one JSON object per line (time, level, logger, message,
request_id, and the traceback when there is one), for log pipelines that index fields.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from litestar.logging.config import LoggingConfig
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from cpl.client_address import _is_trusted
from cpl.settings import Settings

#: The id of the request being served, or ``-`` outside any request.
REQUEST_ID: ContextVar[str] = ContextVar("request_id", default="-")
HEADER = b"x-request-id"
_ACCEPTED = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def install_record_factory() -> None:
    """Give every log record a ``request_id`` attribute, read when the record is made (idempotent)."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, "adds_request_id", False):
        return

    def with_request_id(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        record.request_id = REQUEST_ID.get()
        return record

    with_request_id.adds_request_id = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(with_request_id)


#: Where the request's id and start time are kept in the ASGI scope, for :func:`answer_request_id`
#: and the metrics, which see every answer (also those made outside the middleware: 401, 404).
SCOPE_ID, SCOPE_STARTED = "cpl.request_id", "cpl.started"


class RequestIdMiddleware:
    """The outermost middleware: picks the request's id and sets it for the request's task."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    def _id_for(self, scope: Scope) -> str:
        peer = scope.get("client")
        if peer and _is_trusted(peer[0], self.settings):
            for name, value in scope.get("headers", []):
                if name == HEADER and _ACCEPTED.match(text := value.decode("latin-1")):
                    return text
        return uuid.uuid4().hex

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope[SCOPE_STARTED] = time.perf_counter()  # type: ignore[literal-required]
        request_id = scope[SCOPE_ID] = self._id_for(scope)  # type: ignore[literal-required]
        token = REQUEST_ID.set(request_id)
        try:
            await self.app(scope, receive, send)
        finally:
            REQUEST_ID.reset(token)


async def answer_request_id(message: Message, scope: Scope) -> None:
    """A ``before_send`` hook: every answer carries ``X-Request-Id`` (a new id where no route matched)."""
    if message["type"] == "http.response.start":
        request_id = scope.get(SCOPE_ID) or scope.setdefault(SCOPE_ID, uuid.uuid4().hex)  # type: ignore[misc]
        headers = [(name, value) for name, value in message.get("headers", []) if name.lower() != HEADER]
        message["headers"] = [*headers, (HEADER, str(request_id).encode())]  # type: ignore[typeddict-unknown-key]


class JsonFormatter(logging.Formatter):
    """One JSON object per record."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", REQUEST_ID.get()),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def logging_config(settings: Settings) -> LoggingConfig:
    """Litestar's logging set-up, its records formatted as JSON when ``CPL_LOG_FORMAT=json``."""
    if settings.log_format == "json":
        return LoggingConfig(formatters={"standard": {"()": f"{__name__}.JsonFormatter"}})
    return LoggingConfig()
