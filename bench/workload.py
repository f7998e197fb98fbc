"""What the bench sends: accounts registered through the API, and PUT-create requests.

Every request creates a new entry (a fresh UUID) for one of several workers in turn,
as phones of many workers flushing new entries would. Several workers rather than one,
because cpl serialises one worker's writes on their change counter by design.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import uuid
from dataclasses import dataclass, field

from bench.client import Request, call, json_request
from bench.servers import HOST
from tests.factories import PASSWORD, entry_body

#: cpl's path for a PUT of one entry; the entry's UUID follows it.
CPL_PUT_PREFIX = "/v1/evidence/"


async def register_worker(port: int, number: int) -> str:
    """Register one worker through ``POST /v1/auth/register`` and sign in; returns their bearer token."""
    email = f"bench{number}-{uuid.uuid4().hex[:8]}@example.org"
    body = {"email": email, "password": PASSWORD, "display_name": "Bench"}
    status, answer = await call(HOST, port, json_request("POST", "/v1/auth/register", body))
    if status != 202:
        raise RuntimeError(f"registering a bench worker answered {status}: {answer[:500]!r}")
    status, answer = await call(
        HOST, port, json_request("POST", "/v1/auth/login", {"email": email, "password": PASSWORD})
    )
    if status != 200:
        raise RuntimeError(f"signing a bench worker in answered {status}: {answer[:500]!r}")
    return json.loads(answer)["token"]


async def register_workers(port: int, count: int) -> list[str]:
    """Register ``count`` workers, a few at a time (each costs an argon2id hash)."""
    tokens: list[str] = []
    for start in range(0, count, 4):
        batch = range(start, min(start + 4, count))
        tokens += await asyncio.gather(*(register_worker(port, number) for number in batch))
    return tokens


@dataclass
class PutWorkload:
    """PUT-create requests under ``prefix``, each with a fresh UUID, workers taken in turn."""

    prefix: str
    tokens: list[str]
    body: bytes = field(default_factory=lambda: json.dumps(entry_body()).encode())

    def __post_init__(self) -> None:
        self._turns = itertools.cycle(self.tokens)

    def next_request(self) -> Request:
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {next(self._turns)}"}
        return Request("PUT", f"{self.prefix}{uuid.uuid4()}", headers, self.body)

    def wrk_environment(self) -> dict[str, str]:
        """The same workload for bench/put_evidence.lua, passed to wrk through its environment."""
        return {"BENCH_PREFIX": self.prefix, "BENCH_TOKENS": ",".join(self.tokens), "BENCH_BODY": self.body.decode()}
