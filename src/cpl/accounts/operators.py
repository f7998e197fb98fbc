"""Operators: the people who run a cpl service and vet organisations.

An operator is an account with the operator flag (``Account.is_admin``). It is given and
taken away only from the command line (``cpl operators grant EMAIL`` / ``revoke EMAIL``, or
``cpl users create --admin``), never through the API, so nobody can make themselves one.
What an operator may do is checked against the flag as it stands in the database at the
time (see :mod:`cpl.organisations.vetting`).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from cpl.accounts.tables import Account
from cpl.errors import NotFound


async def set_operator(email: str, operator: bool) -> dict[str, Any]:
    """Give (or take away) the operator flag of the account with this e-mail; its id, e-mail and name."""
    changed = (
        await Account.update({Account.is_admin: operator})
        .where(Account.email == email.strip().lower())
        .returning(Account.id, Account.email, Account.display_name)
    )
    if not changed:
        raise NotFound(f"No account with the e-mail {email}.")
    return changed[0]


async def account_id_by_email(email: str) -> UUID:
    row = await Account.select(Account.id).where(Account.email == email.strip().lower()).first()
    if row is None:
        raise NotFound(f"No account with the e-mail {email}.")
    return row["id"]
