"""A worker's consent to receive suggested entries from an organisation they belong to.

Given and withdrawn by the worker alone, per organisation. Without it the organisation's
statements and CSV rows about the worker are refused. Withdrawing stops new suggestions; those
already waiting stay for the worker to accept or reject. Leaving the organisation ends its
effect (only current members' consents count).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from cpl.db import write_transaction
from cpl.kernel import clock
from cpl.organisations.service import member_organisation
from cpl.xapi import repository


async def give(account: UUID, organisation: UUID) -> tuple[bool, dict[str, Any]]:
    """Agree (once: agreeing again changes nothing); whether it was new, and the consent."""
    row, _ = await member_organisation(account, organisation)
    async with write_transaction():
        existing = await repository.consent(account, organisation)
        if existing is not None:
            return False, {**existing, "organisation_name": row["name"]}
        consent = {"id": uuid4(), "organisation": organisation, "account": account, "given_at": clock.now()}
        await repository.insert_consent(consent)
    return True, {**consent, "organisation_name": row["name"]}


async def withdraw(account: UUID, organisation: UUID) -> None:
    """Withdraw; withdrawing what was never given changes nothing. Former members may withdraw too."""
    await repository.delete_consent(account, organisation)


async def list_mine(account: UUID) -> list[dict[str, Any]]:
    return await repository.consents_of(account)
