"""Recording an audit event: the one call every route uses.

In a route::

    from cpl import audit

    await audit.record(request, "entry.viewed", subject=worker_id, object=f"entry:{entry_id}",
                       detail={"role": "supervisor", "organisation": name})

The actor is the signed-in caller (``actor=`` names another, or ``None``); the request id
(``X-Request-ID`` when the client sent a sane one, else one made for the request) and the
coarse client (browser family, /24 network) come from the request. Outside a request (the
CLI, a job) use :meth:`AuditLog.append` with :class:`Client()`. An event recorded while a
transaction is open commits or rolls back with it; otherwise it is written in its own.
"""

from __future__ import annotations

import ipaddress
import re
import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import anyio
from litestar.connection import ASGIConnection

from cpl.audit import repository
from cpl.audit.chain import PSEUDONYM_PURPOSE, encode_detail, pseudonym
from cpl.client_address import client_address
from cpl.errors import CplError, TooManyAttempts
from cpl.kernel import clock
from cpl.kernel.principal import Principal
from cpl.secret_key import purpose_key
from cpl.settings import Settings

_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
_SYSTEMS = (("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iOS"), ("Windows", "Windows"))
_SYSTEMS += (("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"))
_UNSET: Any = object()


@dataclass(frozen=True)
class Client:
    """Where a request came from, as coarsely as the log keeps it."""

    request_id: str = ""
    user_agent: str = ""
    network: str = ""


class AuditLog:
    """The service's audit log: appends events, pseudonymising people with the service secret."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._key: bytes | None = None

    async def pseudonym_key(self) -> bytes:
        if self._key is None:
            self._key = await anyio.to_thread.run_sync(purpose_key, self.settings, PSEUDONYM_PURPOSE)
        return self._key

    async def append(
        self,
        action: str,
        *,
        actor: UUID | None,
        subjects: Sequence[UUID | None] = (None,),
        object: str = "",
        outcome: str = "success",
        client: Client = Client(),
        detail: Mapping[str, object] | None = None,
    ) -> None:
        """One event per subject (a team view shows several workers), one chain append."""
        key = await self.pseudonym_key()
        moment = clock.now()
        encoded = encode_detail(detail or {})
        common = {
            "occurred_at": moment,
            "action": action,
            "outcome": outcome,
            "actor": actor,
            "actor_pseudonym": pseudonym(key, actor),
            "object": object[:200],
            "request_id": client.request_id,
            "user_agent": client.user_agent,
            "network": client.network,
            "detail": encoded,
        }
        await repository.append(
            [{**common, "subject": subject, "subject_pseudonym": pseudonym(key, subject)} for subject in subjects]
        )


def user_agent_family(header: str) -> str:
    """``Browser/System`` from a User-Agent, or the first product's name (``curl``); never versions."""
    browser = next((name for marker, name in _BROWSERS if marker in header), "")
    system = next((name for marker, name in _SYSTEMS if marker in header), "")
    if not browser:
        browser = header.split("/", 1)[0].split(" ", 1)[0][:32] if header else ""
    return f"{browser}/{system}" if system else browser


def network_of(address: str) -> str:
    """The /24 of an IPv4 address, the /48 of an IPv6 one; ``""`` for anything else."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ""
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def client_of(connection: ASGIConnection, settings: Settings) -> Client:
    """The request id and coarse client of a request (the id is kept for the request's other events)."""
    request_id = connection.scope.setdefault("state", {}).get("audit_request_id")
    if request_id is None:
        given = connection.headers.get("x-request-id", "")
        request_id = given if _SANE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        connection.scope["state"]["audit_request_id"] = request_id
    return Client(
        request_id=request_id,
        user_agent=user_agent_family(connection.headers.get("user-agent", "")),
        network=network_of(client_address(connection, settings)),
    )


def caller(connection: ASGIConnection) -> UUID | None:
    user = connection.scope.get("user")
    return user.account_id if isinstance(user, Principal) else None


async def record(
    connection: ASGIConnection,
    action: str,
    *,
    subject: UUID | None = None,
    subjects: Sequence[UUID] | None = None,
    object: str = "",
    outcome: str = "success",
    detail: Mapping[str, object] | None = None,
    actor: UUID | None = _UNSET,
) -> None:
    """Record ``action`` by the request's caller (or ``actor``) on ``subject``'s record (or each of ``subjects``)."""
    log: AuditLog = connection.app.state.audit
    await log.append(
        action,
        actor=caller(connection) if actor is _UNSET else actor,
        subjects=list(subjects) if subjects is not None else [subject],
        object=object,
        outcome=outcome,
        client=client_of(connection, log.settings),
        detail=detail,
    )


@asynccontextmanager
async def recorded(
    connection: ASGIConnection,
    action: str,
    *,
    subject: UUID | None = None,
    object: str = "",
    detail: Mapping[str, object] | None = None,
) -> AsyncIterator[None]:
    """Record ``action`` once the block is done: ``success``, or ``throttled`` / ``failure`` when it
    raises a refusal (which then propagates). For attempts worth seeing when they fail (a password change)."""
    try:
        yield
    except CplError as error:
        outcome = "throttled" if isinstance(error, TooManyAttempts) else "failure"
        await record(connection, action, subject=subject, object=object, outcome=outcome, detail=detail)
        raise
    await record(connection, action, subject=subject, object=object, detail=detail)
