"""Who is calling: the authenticated principal and the request type of routes that need one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from litestar import Request

#: Route ``opt`` key that marks a handler public (health, register, login, verification pages).
PUBLIC = "public"


@dataclass(frozen=True)
class Principal:
    """The account behind a valid bearer token, and which of its sessions the token opened."""

    account_id: UUID
    email: str
    display_name: str
    is_admin: bool
    session_id: UUID


#: A request that passed bearer-token authentication (``request.user`` is the caller).
AuthedRequest = Request[Principal, UUID, Any]
