"""A worker's suggested entries: waiting, rejected, accepted through the normal sync path.

- Only the worker sees their suggestions; someone else's id answers 404.
- Accepting is writing the entry: the app saves an entry whose id is the suggestion's id through
  its outbox (``PUT /v1/evidence/{id}`` or a batch), as it saves any new entry, with
  ``accepts_suggestion: true``. When that entry is created, :func:`accept_on_entries_created`
  marks the suggestion accepted in the same transaction (a batch's suggestions in one statement).
  A retried ``PUT`` is a replay of the same id, so there is only ever one entry. An entry written
  with a suggestion's id but without the flag (an app older than the flag, another client) accepts
  it all the same: the waiting list finds it and marks it accepted (:func:`waiting`).
- Rejecting is final: a replayed statement, the same statement posted again or the same CSV row
  uploaded again never makes the suggestion again (one per organisation, worker and source).
  Rejecting twice is fine; rejecting an accepted suggestion is refused (409).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from cpl.accounts.events import AccountErased
from cpl.db import write_transaction
from cpl.errors import Conflict, NotFound
from cpl.evidence import written_ids
from cpl.evidence.events import EntriesSaved
from cpl.kernel import clock
from cpl.xapi import repository

#: At most this many waiting suggestions are listed, newest first.
LIST_LIMIT = 200


async def waiting(owner: UUID) -> list[dict[str, Any]]:
    """The owner's waiting suggestions, newest first; those the owner already wrote an entry for
    are accepted on the way (they are in the record; showing them would invite a second entry)."""
    rows = await repository.pending_suggestions(owner, LIST_LIMIT)
    written = await written_ids(owner, [row["id"] for row in rows])
    if not written:
        return rows
    async with write_transaction():
        await repository.accept_pending(owner, sorted(written), clock.now())
    return [row for row in rows if row["id"] not in written]


async def reject(owner: UUID, suggestion: UUID) -> None:
    row = await repository.suggestion_of(owner, suggestion)
    if row is None:
        raise NotFound("No suggestion with this id.")
    if row["state"] == "accepted":
        raise Conflict("This suggestion was accepted: it is an entry of your record now (delete the entry instead).")
    await repository.decide(owner, suggestion, "rejected", clock.now())


async def accept_on_entries_created(saved: EntriesSaved) -> None:
    """Entries the app wrote to accept suggestions (with their ids) arrived from their owner: those
    suggestions are accepted. Other creations cost nothing here."""
    if saved.accepting:
        await repository.accept_pending(saved.owner, list(saved.accepting), clock.now())


async def erase_suggestions(erased: AccountErased) -> None:
    """The person's suggestions, consents and the statements about them go (GDPR Art. 17)."""
    await repository.erase_account(erased.account_id)


async def suggestions_data(account: UUID) -> list[dict[str, Any]]:
    """Suggestions made to the person, with the statement or CSV row each came from."""
    return await repository.suggestions_data(account)


async def consents_data(account: UUID) -> list[dict[str, Any]]:
    """The organisations the person agreed to receive suggestions from."""
    return await repository.consents_of(account)
