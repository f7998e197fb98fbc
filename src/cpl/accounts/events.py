"""What the accounts domain tells other domains (see :mod:`cpl.kernel.events`)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class AccountErased:
    """The person asked for their account to be erased (GDPR Art. 17) and the erasure job runs.

    Every domain holding personal data about the account deletes it in this transaction, and
    queues what lives outside the database (objects in the store) for deletion after the commit.
    ``email`` is the address the account had: mail, invitations and throttle rows are keyed by
    it, not by the account. The account row itself stays, emptied (see ``cpl.accounts.erasure``),
    so that what others wrote about their own records (a verification this person gave) keeps
    pointing at an account that says nothing about anyone.
    """

    account_id: UUID
    email: str = ""
