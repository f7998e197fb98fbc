"""Prometheus metrics at ``GET /metrics``, for the people who run cpl.

Off unless ``CPL_METRICS_TOKEN`` is set (the route answers 404, as if absent); then a scraper
sends ``Authorization: Bearer <token>``, and anything else gets 401. The metrics carry no
personal data: routes are their templates (``/v1/evidence/{entry_id:uuid}``), never paths.

- ``cpl_http_requests_total`` and ``cpl_http_request_duration_seconds`` per method, route
  template and status (rate, latency histogram, and errors: the 5xx statuses);
- ``cpl_throttled_total`` per route and kind: requests refused by a throttle (429) or a full
  password-hashing queue (503 Busy) (:mod:`cpl.problems`);
- ``cpl_database_pool_connections`` (PostgreSQL: open, idle, max);
- ``cpl_export_jobs`` by status (the queue's depth, read from the database at each scrape),
  and ``cpl_export_job_duration_seconds`` (:mod:`cpl.exports.jobs`);
- ``cpl_storage_errors_total`` per operation and kind (:mod:`cpl.storage.s3`);
- and prometheus_client's own process and Python metrics.

The metrics live in prometheus_client's process-wide registry (several apps in one process,
as in the tests, add to the same counters). With ``CPL_WORKERS`` above 1 each scrape reaches
one worker; set ``PROMETHEUS_MULTIPROC_DIR`` for prometheus_client's multi-process mode.
"""

from __future__ import annotations

import hmac
import os
import time
from typing import Any

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.types import Message, Scope
from piccolo.engine.postgres import PostgresEngine
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram, generate_latest, multiprocess
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from cpl import errors
from cpl.accounts.auth import PUBLIC
from cpl.exports.service import jobs_by_status
from cpl.problems import problem_responses
from cpl.request_log import SCOPE_STARTED
from cpl.settings import Settings

REQUESTS = Counter("cpl_http_requests_total", "Requests answered", ["method", "route", "status"])
LATENCY = Histogram("cpl_http_request_duration_seconds", "Time to answer a request", ["method", "route"])
POOL = Gauge("cpl_database_pool_connections", "PostgreSQL pool connections", ["state"])
EXPORT_JOBS = Gauge("cpl_export_jobs", "Export jobs by status", ["status"])
#: Requests no route matched are counted under this template, so paths never become labels.
UNMATCHED = "(unmatched)"
_STATUS = "cpl.status"


def _route(scope: Scope) -> str:
    return str(scope.get("path_template") or UNMATCHED)


async def count_response(message: Message, scope: Scope) -> None:
    """A ``before_send`` hook: counts and times every answer by its route template, when it ends."""
    if scope["type"] != "http":
        return
    if message["type"] == "http.response.start":
        scope[_STATUS] = message["status"]  # type: ignore[literal-required]
    elif message["type"] == "http.response.body" and not message.get("more_body", False):
        route = _route(scope)
        REQUESTS.labels(scope["method"], route, str(scope.get(_STATUS, 500))).inc()
        if (started := scope.get(SCOPE_STARTED)) is not None:
            LATENCY.labels(scope["method"], route).observe(time.perf_counter() - started)


async def _sample_state() -> None:
    """The gauges read at scrape time: the pool's connections and the export queue."""
    from cpl import piccolo_conf

    engine = piccolo_conf.DB
    if isinstance(engine, PostgresEngine) and engine.pool is not None:
        POOL.labels("open").set(engine.pool.get_size())
        POOL.labels("idle").set(engine.pool.get_idle_size())
        POOL.labels("max").set(engine.pool.get_max_size())
    counts = await jobs_by_status()
    for status in {"queued", "running", "done", "failed", *counts}:
        EXPORT_JOBS.labels(status).set(counts.get(status, 0))


def _registry() -> Any:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


@get(
    "/metrics",
    operation_id="metrics",
    opt={PUBLIC: True},
    tags=["service"],
    media_type=CONTENT_TYPE_LATEST,
    responses=problem_responses(401, 404),
)
async def metrics(request: Request, settings: NamedDependency[Settings]) -> Response[bytes]:
    """Prometheus metrics, for the scraper holding ``CPL_METRICS_TOKEN``.

    404 while no token is configured; 401 without the token.
    """
    token = settings.metrics_token.get_secret_value()
    if not token:
        raise errors.NotFound("No such page.")
    sent = request.headers.get("authorization", "")
    if not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        raise errors.NotAuthenticated("Send the metrics token ('Authorization: Bearer <token>').")
    await _sample_state()
    return Response(generate_latest(_registry()))
