"""The HTTP access log, with secrets taken out of the addresses it prints.

An access log is read by more people, and kept longer, than the service's data: a share
link's token (``/shared/<token>``), a passcode, a signed upload URL's ``signature`` or an
S3 presigned ``X-Amz-Signature`` written there would open what they guard to anyone who
reads the log (OWASP Logging Cheat Sheet, "Data to exclude": access tokens, passwords). So
uvicorn's access log (``cpl serve``) passes through :class:`RedactSecrets`, which replaces
the value of every query parameter whose name says it is a secret, and the token in a
share-link path, with ``[redacted]``.

Each access line also carries the request's id (``request_id=…``; a field of the JSON object
with ``CPL_LOG_FORMAT=json``): the id returned as ``X-Request-Id``, which behind a trusted proxy
is the proxy's own (nginx's ``$request_id``, in its access log too), so one id finds a request in
the proxy's log and in the node's (:mod:`cpl.request_log`).
"""

from __future__ import annotations

import copy
import logging
import re
from typing import Any

import uvicorn.config

from cpl.request_log import REQUEST_ID

REDACTED = "[redacted]"
#: A query parameter whose name contains one of these carries a secret.
SECRET_NAME_PARTS = ("pass", "token", "secret", "signature", "credential", "key")
#: Paths whose last segment is a bearer secret (share links).
SECRET_PATH = re.compile(r"^(/shared/)[^/?#]+")


def _redact_query(query: str) -> str:
    parts = []
    for item in query.split("&"):
        name, equals, _ = item.partition("=")
        secret = equals and any(part in name.lower() for part in SECRET_NAME_PARTS)
        parts.append(f"{name}={REDACTED}" if secret else item)
    return "&".join(parts)


def redact(path_with_query: str) -> str:
    """The request target with secret values replaced, everything else as it was."""
    path, question, query = path_with_query.partition("?")
    path = SECRET_PATH.sub(rf"\g<1>{REDACTED}", path)
    return f"{path}{question}{_redact_query(query)}" if question else path


class RedactSecrets(logging.Filter):
    """Redacts the request target of uvicorn's access records (``client, method, target, version, status``),
    and gives each its request's id (uvicorn logs it while the answer starts, in the request's task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and len(record.args) == 5 and isinstance(record.args[2], str):
            record.args = (*record.args[:2], redact(record.args[2]), *record.args[3:])
        if not hasattr(record, "request_id"):
            record.request_id = REQUEST_ID.get()
        return True


def access_log_config(log_format: str) -> dict[str, Any]:
    """Uvicorn's own logging configuration, its access handler filtered by :class:`RedactSecrets` and
    its lines ending with the request's id (JSON objects with ``CPL_LOG_FORMAT=json``)."""
    config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config.setdefault("filters", {})["redact_secrets"] = {"()": f"{__name__}.RedactSecrets"}
    config["handlers"]["access"]["filters"] = ["redact_secrets"]
    if log_format == "json":
        config["formatters"]["access"] = {"()": "cpl.request_log.JsonFormatter"}
    else:
        config["formatters"]["access"]["fmt"] += " request_id=%(request_id)s"
    return config
