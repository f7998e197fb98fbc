"""The baseline: a bare Litestar JSON endpoint with no database, auth or validation model.

``bench.put_evidence`` serves it with the same uvicorn settings as ``cpl serve``
(uvloop, httptools, one worker, info logging) so that the ratio of cpl's throughput to
this one measures what cpl adds on top of the framework and server stack.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Litestar, get, put
from litestar.params import FromPath, JSONBody

#: Path prefix of the bare PUT endpoint; the entry's UUID follows it.
BARE_PUT_PREFIX = "/bare/evidence/"


@put(f"{BARE_PUT_PREFIX}{{item_id:uuid}}", status_code=201)
async def put_item(item_id: FromPath[UUID], data: JSONBody[dict[str, Any]]) -> dict[str, Any]:
    """Echo the JSON body back with its id, as a PUT-create would."""
    return {"id": str(item_id), **data}


@get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


def create_app() -> Litestar:
    return Litestar(route_handlers=[put_item, health], debug=False)
