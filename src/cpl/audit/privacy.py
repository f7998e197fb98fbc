"""What the audit log gives up for its people: their copy, their erasure, and its own age.

- **Data export** (GDPR Art. 15/20): :func:`audit_events_about` — every event where the
  person is the actor or whose record it is about.
- **Erasure** (Art. 17): :func:`forget_erased_account`, the handler of ``AccountErased``,
  empties the account's id in every event. The keyed pseudonym stays, because the chain's
  hash covers the pseudonym and never the id (:mod:`cpl.audit.chain`): the chain and every
  checkpoint still verify, the event still says *that* someone read a record, and nobody can
  name who without the account id, which erasure deletes everywhere. (Audit events are kept
  for the regulator's trail; the README names this as what stays after erasure.)
- **Retention**: :func:`purge_audit_events_older_than`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from cpl.audit import repository
from cpl.audit.chain import timestamp
from cpl.db import in_transaction, write_transaction


async def audit_events_about(account_id: UUID) -> list[dict[str, Any]]:
    """The person's audit events, oldest first, as JSON-ready dicts (pseudonyms and hashes left out)."""
    return [
        {
            "seq": row["seq"],
            "at": timestamp(row["occurred_at"]),
            "action": row["action"],
            "outcome": row["outcome"],
            "by_me": row["actor"] == account_id,
            "about_me": row["subject"] == account_id,
            "object": row["object"],
            "request_id": row["request_id"],
            "user_agent": row["user_agent"],
            "network": row["network"],
            "detail": row["detail"],
        }
        for row in await repository.about(account_id)
    ]


class ErasedAccount(Protocol):
    account_id: UUID


async def forget_erased_account(event: ErasedAccount) -> None:
    """``accounts.AccountErased`` handler (typed by its shape: accounts records here, so audit cannot
    import it): the account's id leaves the log, its pseudonym stays; in the eraser's transaction."""
    await repository.forget_account(event.account_id)


async def purge_audit_events_older_than(cutoff: datetime) -> int:
    """Delete events older than ``cutoff`` up to the newest checkpoint that covers only such events;
    that checkpoint is kept and anchors the rest, so ``cpl audit verify`` still holds from it.

    Events older than ``cutoff`` but after that checkpoint stay until a later checkpoint covers
    them. Answers how many events were deleted.
    """
    if in_transaction():
        return await _purge(cutoff)
    async with write_transaction():
        return await _purge(cutoff)


async def _purge(cutoff: datetime) -> int:
    await repository.lock_chain()
    last_old = await repository.last_seq_before(cutoff)
    if last_old is None:
        return 0
    anchor = await repository.checkpoint_at_or_before(last_old)
    if anchor is None:
        return 0
    return await repository.delete_through(anchor["seq"])
