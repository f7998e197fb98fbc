"""Audit requests, the auditor's side: ask a worker for their record, withdraw, record the outcome.

This is how HCPC's CPD audit (a random 2.5% of each profession at each renewal; the profile
presented on request: hcpc-uk.org "CPD audits"), Social Work England's 2.5% CPD review
(Registration Rules 2019, rule 53) and SSSC's sampling of registrants (learn.sssc.uk.com/cpl)
happen today by e-mail and post (issue 15); here the record itself answers.

Rules:
- Only an auditor of a regulator asks, for that regulator, from an account whose address is
  verified; a member of the organisation without the auditor role is refused (403), anyone
  else is told the organisation does not exist (404).
- A request names the worker by e-mail address, a register that has a requirement pack, a
  period (both days included) and a deadline of today or later (UTC), with a message.
- The worker is told at once: in the app and by e-mail if an account has confirmed that address,
  otherwise by an e-mail that invites them to sign up; the request shows in their list as soon
  as they confirm the address (see :mod:`cpl.audit_requests.answers`).
- Every auditor of the organisation sees and acts on all its requests; nobody else knows they
  exist (404).
- The outcome (accepted, more information needed, not accepted) is recorded only on an
  answered request (409 otherwise); "more information needed" says what is missing, and lets
  the worker answer again. The worker is told (app and e-mail).
- A request still waiting for the worker may be withdrawn (409 once answered or closed).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from cpl.accounts.ownership import require_verified_email, verified_email
from cpl.accounts.service import account_id_by_email
from cpl.audit_requests import repository
from cpl.audit_requests.mapping import WAITING
from cpl.audit_requests.schemas import AuditOutcomeIn, AuditRequestIn
from cpl.db import write_transaction
from cpl.errors import Conflict, NotAllowed, NotFound, invalid_field
from cpl.kernel import clock
from cpl.kernel.principal import Principal
from cpl.kernel.registers import SELF_DECLARED, VETTED
from cpl.mail import queue_mail, send_queued
from cpl.notifications import deliver, notify
from cpl.organisations import is_vetted
from cpl.organisations.service import member_organisation, my_organisations
from cpl.requirements.library import shipped_library
from cpl.settings import Settings

OUTCOME_WORDS = {
    "accepted": "accepted",
    "more_information_needed": "more information needed",
    "not_accepted": "not accepted",
}


async def audited_organisation(auditor: UUID, organisation: UUID) -> dict[str, Any]:
    """The regulator, if the caller audits for it."""
    row, roles = await member_organisation(auditor, organisation)
    if "auditor" not in roles or row["kind"] != "regulator":
        raise NotAllowed("Only an auditor of this regulator may do this.")
    return row


async def audited_organisations(auditor: UUID) -> list[UUID]:
    return [item.id for item in await my_organisations(auditor) if "auditor" in item.my_roles]


async def auditor_requests(auditor: UUID, state: str | None) -> list[dict[str, Any]]:
    return await repository.of_organisations(await audited_organisations(auditor), state)


async def auditor_request(auditor: UUID, request_id: UUID) -> dict[str, Any]:
    """The request, if the caller audits for its organisation now; "not found" for anyone else."""
    row = await repository.get(request_id)
    if row is None or row["organisation"] not in await audited_organisations(auditor):
        raise NotFound("No audit request with this id.")
    return row


def _checked(data: AuditRequestIn) -> None:
    if data.register_key not in shipped_library().editions:
        known = ", ".join(sorted(shipped_library().editions))
        raise invalid_field("register", f"no requirement pack for this register; use one of {known}")
    if data.deadline < clock.now().date():
        raise invalid_field("deadline", "must be today or later")


async def _confirmed_account(email: str) -> UUID | None:
    """The account that has confirmed ``email``, if any."""
    account = await account_id_by_email(email)
    return account if account is not None and await verified_email(account) == email else None


async def _tell_worker(settings: Settings, row: dict[str, Any], vetted: bool) -> dict[str, Any] | UUID:
    """A notification (with its e-mail copy) if an account has confirmed the address, else the invitation."""
    register = row["register"].upper()
    account = await _confirmed_account(row["worker_email"])
    if account is not None:
        message = (
            f"{row['organisation_name']} asks for your {register} record from {row['period_from']} to "
            f"{row['period_to']}, by {row['deadline']}. {row['message']}"
        ).strip()
        return await notify(account, "audit_requested", None, message)
    return await queue_mail(
        row["worker_email"],
        "audit_request",
        service=settings.service_name,
        base=settings.public_base_url.rstrip("/"),
        auditor=row["auditor_name"],
        organisation=row["organisation_name"],
        standing=VETTED if vetted else SELF_DECLARED,
        register=register,
        starts_on=row["period_from"],
        ends_on=row["period_to"],
        deadline=row["deadline"],
        message=row["message"],
    )


async def create_request(settings: Settings, auditor: Principal, data: AuditRequestIn) -> UUID:
    organisation = await audited_organisation(auditor.account_id, data.organisation_id)
    await require_verified_email(auditor.account_id)
    _checked(data)
    now = clock.now()
    row = {
        "id": uuid4(),
        "organisation": organisation["id"],
        "organisation_name": organisation["name"],
        "auditor": auditor.account_id,
        "auditor_name": auditor.display_name,
        "worker_email": data.email,
        "register": data.register_key,
        "period_from": data.period.starts_on,
        "period_to": data.period.ends_on,
        "deadline": data.deadline,
        "message": data.message,
        "state": "requested",
        "created_at": now,
        "updated_at": now,
    }
    async with write_transaction():
        await repository.insert(row)
        told = await _tell_worker(settings, row, await is_vetted(organisation["id"]))
    if isinstance(told, dict):
        await deliver(settings, [told])
    else:
        await send_queued(settings, [told])
    return row["id"]


async def withdraw(settings: Settings, auditor: Principal, request_id: UUID) -> None:
    row = await auditor_request(auditor.account_id, request_id)
    if row["state"] not in WAITING:
        raise Conflict(
            f"This request is {row['state'].replace('_', ' ')}; only one waiting for the worker is withdrawn."
        )
    async with write_transaction():
        await repository.move(row, "withdrawn")
        worker = row["worker"] or await _confirmed_account(row["worker_email"])
        message = f"{row['organisation_name']} withdrew its request for your {row['register'].upper()} record."
        notes = [await notify(worker, "audit_withdrawn", None, message)] if worker else []
    await deliver(settings, notes)


async def record_outcome(settings: Settings, auditor: Principal, request_id: UUID, data: AuditOutcomeIn) -> None:
    row = await auditor_request(auditor.account_id, request_id)
    if row["state"] != "responded":
        raise Conflict(f"This request is {row['state'].replace('_', ' ')}; an outcome is recorded on an answer.")
    if data.outcome == "more_information_needed" and not data.note.strip():
        raise invalid_field("note", "say what more information is needed")
    message = f"{row['organisation_name']}: your {row['register'].upper()} audit — {OUTCOME_WORDS[data.outcome]}."
    async with write_transaction():
        await repository.move(row, data.outcome, decided_at=clock.now(), outcome_note=data.note)
        note = await notify(row["worker"], "audit_outcome", None, f"{message} {data.note}".strip())
    await deliver(settings, [note])
