"""Audit requests, the worker's side: see them, answer with an export, or decline.

Rules:
- A request is the worker's when it is addressed to the address their account has confirmed,
  or once they have answered or declined it (then it stays with that account, whatever address
  it moves to). An account that has not confirmed its address sees none: only the owner of a
  mailbox may see what was asked of it (issue 14's ownership rules). Anyone else's request
  answers "not found".
- The worker answers a request waiting for them (``requested``, or ``more_information_needed``
  after the auditor asked for more; 409 otherwise) with one of their finished exports (409 while
  it runs, 410 when revoked; 422 if it is not theirs) — the app makes it for the request, with
  the registration's audit period pre-selected. Answering makes a share link to that export for
  the organisation's auditors, with a passcode they see in cpl (:mod:`cpl.audit_requests.links`);
  a second answer withdraws the link of the first. The worker sees every use of the link with
  their export's links, and may withdraw it there like any other.
- The worker may decline a request waiting for them, saying why: a request can come from an
  organisation no operator has vetted (its standing is shown), or reach the wrong person. The
  regulator's own powers lie outside cpl; the reason is what it reads.
- Answering and declining tell the auditor who asked (app and e-mail).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from cpl.accounts.ownership import verified_email
from cpl.audit_requests import links, repository
from cpl.audit_requests.mapping import WAITING
from cpl.audit_requests.schemas import AuditAnswerIn
from cpl.db import write_transaction
from cpl.errors import Conflict, NotFound, invalid_field
from cpl.exports.schemas import ShareIn
from cpl.exports.shares import create_share, revoke_share
from cpl.kernel import clock
from cpl.kernel.principal import Principal
from cpl.notifications import deliver, notify
from cpl.settings import Settings

#: How long the auditors' link works: a quarter, or the service's longest if shorter.
LINK_LIFETIME = timedelta(days=90)


def _is_mine(row: dict[str, Any], worker: UUID, email: str | None) -> bool:
    if row["worker"] is not None:
        return row["worker"] == worker
    return email is not None and row["worker_email"] == email


async def my_requests(worker: UUID, state: str | None) -> list[dict[str, Any]]:
    return await repository.of_worker(worker, await verified_email(worker), state)


async def my_request(worker: UUID, request_id: UUID) -> dict[str, Any]:
    row = await repository.get(request_id)
    if row is None or not _is_mine(row, worker, await verified_email(worker)):
        raise NotFound("No audit request with this id.")
    return row


async def _waiting(worker: UUID, request_id: UUID) -> dict[str, Any]:
    row = await my_request(worker, request_id)
    if row["state"] not in WAITING:
        raise Conflict(f"This request is {row['state'].replace('_', ' ')}; it is not waiting for your answer.")
    return row


async def _share_for_auditors(settings: Settings, worker: UUID, row: dict[str, Any], export_id: UUID) -> tuple:
    """A new link to the export (withdrawing the previous answer's); returns its id and salt."""
    salt = links.new_salt()
    hours = int(min(LINK_LIFETIME, settings.share_max_ttl).total_seconds() // 3600)
    data = ShareIn(
        ttl_hours=hours,
        passcode=await links.share_passcode(settings, salt),
        label=f"Audit request from {row['organisation_name']}"[:200],
    )
    token = await links.share_token(settings, salt)
    try:
        share = await create_share(settings, worker, export_id, data, token=token)
    except NotFound as error:
        raise invalid_field("export_id", "not one of your exports") from error
    if row["share"] is not None and row["export"] is not None:
        await revoke_share(worker, row["export"], row["share"])
    return share.id, salt


async def answer(settings: Settings, worker: Principal, request_id: UUID, data: AuditAnswerIn) -> None:
    row = await _waiting(worker.account_id, request_id)
    async with write_transaction():
        share, salt = await _share_for_auditors(settings, worker.account_id, row, data.export_id)
        await repository.move(
            row,
            "responded",
            worker=worker.account_id,
            export=data.export_id,
            share=share,
            share_salt=salt,
            responded_at=clock.now(),
            worker_note=data.note,
            decided_at=None,
        )
        message = f"{worker.display_name} answered your {row['register'].upper()} audit request."
        notes = [await notify(row["auditor"], "audit_responded", None, message)] if row["auditor"] else []
    await deliver(settings, notes)


async def decline(settings: Settings, worker: Principal, request_id: UUID, reason: str) -> None:
    row = await _waiting(worker.account_id, request_id)
    async with write_transaction():
        await repository.move(row, "declined", worker=worker.account_id, worker_note=reason)
        message = f"{worker.display_name} declined your {row['register'].upper()} audit request: {reason}"
        notes = [await notify(row["auditor"], "audit_declined", None, message)] if row["auditor"] else []
    await deliver(settings, notes)
