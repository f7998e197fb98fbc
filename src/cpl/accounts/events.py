"""What the accounts domain tells other domains (see :mod:`cpl.kernel.events`)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class AccountErased:
    """The person's account is erased (GDPR Art. 17): every domain removes what it holds about
    them, or replaces them by a pseudonym where a record must stay, in the same transaction."""

    account_id: UUID
