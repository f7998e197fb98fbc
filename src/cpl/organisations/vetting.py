"""Operators vet organisations: a check, outside cpl, that an organisation is who it says it is.

Rules:
- Anyone may create an organisation and use it with their team; until an operator vets it,
  it is a **self-declared organisation**, and every verification made through it says so
  (see :mod:`cpl.kernel.registers`). This is what stops a worker from creating "NHS Lothian",
  verifying their own entries through a second account, and showing a credential that reads
  as if NHS Lothian had verified them.
- Only operators vet or revoke (accounts with the operator flag, given only from the command
  line: ``cpl operators grant EMAIL``). The flag is read afresh from the database on every
  operator action, so revoking it takes effect at once. Anyone else gets 403.
- Every decision records who made it, when, and on what evidence (the note, required).
  Decisions are only added, never changed: revoking adds a ``revoked`` decision, and the
  history stays whole. The latest decision is the organisation's state.
- Vetting an organisation that is vetted, or revoking one that is not, is refused (409).
- A verification records the state **when it was made**; vetting or revoking later changes
  what views say about the organisation now, never what a verification (and the credentials
  signed from it) says.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from cpl.accounts.tables import Account
from cpl.db import on_postgres, write_transaction
from cpl.errors import Conflict, NotAllowed, NotFound
from cpl.kernel import clock
from cpl.organisations.schemas import OperatorOrganisationOut, VettingDecisionOut
from cpl.organisations.tables import Organisation, OrganisationVetting

VETTED = "vetted"
REVOKED = "revoked"


async def require_operator(account: UUID) -> str:
    """The operator's display name; refused (403) unless the account is an operator now."""
    row = await Account.select(Account.display_name, Account.is_admin).where(Account.id == account).first()
    if row is None or not row["is_admin"]:
        raise NotAllowed("Only operators vet organisations.")
    return row["display_name"]


async def vetted_now(organisations: list[UUID]) -> dict[UUID, bool]:
    """Whether each organisation is vetted now (its latest decision is ``vetted``)."""
    if not organisations:
        return {}
    rows = (
        await OrganisationVetting.select(OrganisationVetting.organisation, OrganisationVetting.action)
        .where(OrganisationVetting.organisation.is_in(list(set(organisations))))
        .order_by(OrganisationVetting.decided_at)
    )
    latest = {row["organisation"]: row["action"] for row in rows}
    return {organisation: latest.get(organisation) == VETTED for organisation in organisations}


async def is_vetted(organisation: UUID) -> bool:
    return (await vetted_now([organisation]))[organisation]


async def _history(organisations: list[UUID]) -> dict[UUID, list[VettingDecisionOut]]:
    rows = (
        await OrganisationVetting.select()
        .where(OrganisationVetting.organisation.is_in(organisations))
        .order_by(OrganisationVetting.decided_at)
    )
    found: dict[UUID, list[VettingDecisionOut]] = {organisation: [] for organisation in organisations}
    for row in rows:
        found[row["organisation"]].append(
            VettingDecisionOut(
                id=row["id"],
                action=row["action"],
                note=row["note"],
                operator_id=row["operator"],
                operator_name=row["operator_name"],
                decided_at=row["decided_at"],
            )
        )
    return found


def _out(row: dict[str, Any], history: list[VettingDecisionOut]) -> OperatorOrganisationOut:
    return OperatorOrganisationOut(
        id=row["id"],
        name=row["name"],
        kind=row["kind"],
        created_at=row["created_at"],
        vetted=bool(history) and history[-1].action == VETTED,
        history=history,
    )


async def organisation_vetting(operator: UUID, organisation: UUID) -> OperatorOrganisationOut:
    """One organisation with its vetting history, for an operator."""
    await require_operator(operator)
    row = await Organisation.select().where(Organisation.id == organisation).first()
    if row is None:
        raise NotFound("No organisation with this id.")
    return _out(row, (await _history([organisation]))[organisation])


async def list_for_operator(operator: UUID, vetted: bool | None = None) -> list[OperatorOrganisationOut]:
    """Every organisation (by name) with its vetting state and history; ``vetted`` filters on the state now."""
    await require_operator(operator)
    rows = await Organisation.select().order_by(Organisation.name, Organisation.id)
    history = await _history([row["id"] for row in rows]) if rows else {}
    found = [_out(row, history[row["id"]]) for row in rows]
    return [item for item in found if vetted is None or item.vetted == vetted]


async def decide(operator: UUID, organisation: UUID, action: str, note: str) -> OperatorOrganisationOut:
    """Vet (``vetted``) or revoke (``revoked``) an organisation, recording who, when and why."""
    operator_name = await require_operator(operator)
    async with write_transaction():
        if not await Organisation.exists().where(Organisation.id == organisation):
            raise NotFound("No organisation with this id.")
        if on_postgres():  # two decisions at once are taken one after the other (SQLite's write lock does it)
            await Organisation.raw("SELECT id FROM organisation WHERE id = {} FOR UPDATE", organisation)
        vetted = await is_vetted(organisation)
        if action == VETTED and vetted:
            raise Conflict("This organisation is vetted already.")
        if action == REVOKED and not vetted:
            raise Conflict("This organisation is not vetted; there is nothing to revoke.")
        await OrganisationVetting.insert(
            OrganisationVetting(
                id=uuid4(),
                organisation=organisation,
                action=action,
                note=note,
                operator=operator,
                operator_name=operator_name,
                decided_at=clock.now(),
            )
        )
    return await organisation_vetting(operator, organisation)
