"""``GET /health``: is the service up, and can it reach its database?"""

from __future__ import annotations

from litestar import Response, get
from litestar.openapi.datastructures import ResponseSpec
from pydantic import BaseModel

from cpl.accounts.auth import PUBLIC
from cpl.db import database_reachable


class Health(BaseModel):
    status: str
    database: str


@get(
    "/health",
    operation_id="health",
    opt={PUBLIC: True},
    tags=["service"],
    responses={
        503: ResponseSpec(generate_examples=False, data_container=Health, description="The database does not answer")
    },
)
async def health() -> Response[Health]:
    """200 when the database answers; 503 (with the same body shape) when it does not."""
    from cpl import piccolo_conf

    reachable = piccolo_conf.DB is not None and await database_reachable(piccolo_conf.DB)
    body = Health(status="ok" if reachable else "degraded", database="reachable" if reachable else "unreachable")
    return Response(body, status_code=200 if reachable else 503)
