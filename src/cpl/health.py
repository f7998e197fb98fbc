"""What a load balancer and an orchestrator ask a cpl process.

- ``GET /health/live``: the process answers (restart it if not). Touches nothing else, so
  an outage of the database never gets healthy processes restarted.
- ``GET /health/ready``: the process can serve: the database and the object store each
  answered within ``health_check_timeout_seconds`` (both asked at once). 503 names which
  did not; take the node out of rotation until it is 200 again.
- ``GET /health``: the database alone, as before ``/health/ready`` existed (kept for the
  monitors that poll it).
"""

from __future__ import annotations

import asyncio

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from pydantic import BaseModel

from cpl.accounts.auth import PUBLIC
from cpl.db import database_reachable
from cpl.settings import Settings
from cpl.storage import Storage


class Health(BaseModel):
    status: str
    database: str


class Liveness(BaseModel):
    status: str


class Readiness(BaseModel):
    status: str
    database: str
    storage: str


def _state(reachable: bool) -> str:
    return "reachable" if reachable else "unreachable"


async def _database(within: float) -> bool:
    from cpl import piccolo_conf

    return piccolo_conf.DB is not None and await database_reachable(piccolo_conf.DB, within)


@get(
    "/health",
    operation_id="health",
    opt={PUBLIC: True},
    tags=["service"],
    responses={
        503: ResponseSpec(generate_examples=False, data_container=Health, description="The database does not answer")
    },
)
async def health(settings: NamedDependency[Settings]) -> Response[Health]:
    """Whether the database answers.

    200 when the database answers within the health-check timeout; 503 (with the same body
    shape) when it does not. ``/health/ready`` also checks the object store.
    """
    reachable = await _database(settings.health_check_timeout_seconds)
    body = Health(status="ok" if reachable else "degraded", database=_state(reachable))
    return Response(body, status_code=200 if reachable else 503)


@get("/health/live", operation_id="healthLive", opt={PUBLIC: True}, tags=["service"])
async def health_live() -> Liveness:
    """Whether the process answers.

    Always 200 while the process serves requests; asks nothing of the database or the store.
    """
    return Liveness(status="ok")


@get(
    "/health/ready",
    operation_id="healthReady",
    opt={PUBLIC: True},
    tags=["service"],
    responses={
        503: ResponseSpec(
            generate_examples=False,
            data_container=Readiness,
            description="The database or the object store does not answer; the body says which",
        )
    },
)
async def health_ready(settings: NamedDependency[Settings], storage: NamedDependency[Storage]) -> Response[Readiness]:
    """Whether the process can serve requests.

    200 when the database and the object store both answered within the health-check
    timeout; 503 otherwise, with ``database`` and ``storage`` each ``reachable`` or ``unreachable``.
    """
    within = settings.health_check_timeout_seconds
    database, store = await asyncio.gather(_database(within), storage.reachable(within))
    body = Readiness(
        status="ok" if database and store else "unavailable", database=_state(database), storage=_state(store)
    )
    return Response(body, status_code=200 if database and store else 503)
