"""Every statement on ``audit_request`` (src/cpl/README.md: one module per table)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from cpl.audit_requests.mapping import WAITING
from cpl.audit_requests.tables import AuditRequest
from cpl.errors import Conflict
from cpl.kernel import clock

#: Requests one list answers at most, newest first.
LIST_LIMIT = 500


async def insert(row: dict[str, Any]) -> None:
    await AuditRequest.insert(AuditRequest(**row))


async def get(request_id: UUID) -> dict[str, Any] | None:
    return await AuditRequest.select().where(AuditRequest.id == request_id).first()


async def of_organisations(organisations: list[UUID], state: str | None) -> list[dict[str, Any]]:
    if not organisations:
        return []
    where = AuditRequest.organisation.is_in(organisations)
    if state:
        where = where & (AuditRequest.state == state)
    return await AuditRequest.select().where(where).order_by(AuditRequest.created_at, ascending=False).limit(LIST_LIMIT)


async def of_worker(account: UUID, email: str | None, state: str | None) -> list[dict[str, Any]]:
    """Bound to the account, or still unbound and addressed to its verified address."""
    where = AuditRequest.worker == account
    if email:
        where = where | (AuditRequest.worker.is_null() & (AuditRequest.worker_email == email))
    if state:
        where = where & (AuditRequest.state == state)
    return await AuditRequest.select().where(where).order_by(AuditRequest.created_at, ascending=False).limit(LIST_LIMIT)


async def move(row: dict[str, Any], state: str, **fields: Any) -> None:
    """Move to ``state`` (and set the named columns) only if the request is still in the state it
    was read in (409 otherwise)."""
    changes = {AuditRequest.state: state, AuditRequest.updated_at: clock.now()}
    changes.update({getattr(AuditRequest, name): value for name, value in fields.items()})
    moved = (
        await AuditRequest.update(changes)
        .where((AuditRequest.id == row["id"]) & (AuditRequest.state == row["state"]))
        .returning(AuditRequest.id)
    )
    if not moved:
        raise Conflict("The audit request changed meanwhile; read it again.")


async def waiting_due_between(first: date, last: date) -> list[dict[str, Any]]:
    """Requests still waiting for the worker whose deadline falls from ``first`` to ``last``."""
    return await AuditRequest.select().where(
        AuditRequest.state.is_in(list(WAITING)) & (AuditRequest.deadline >= first) & (AuditRequest.deadline <= last)
    )
