"""Peer discussions: who a worker discussed an evidence entry with, and what they learnt.

How cpl records the discussions regulators ask about:
- NMC's reflective discussion is an entry of kind ``reflective_discussion`` with a peer
  discussion naming the other NMC registrant and their PIN (their email and address too,
  when the worker has them): ``PUT /v1/evidence/{id}/peer-discussion``.
- Social Work England's peer reflection is a peer discussion on any CPD entry, naming the
  peer and saying what the worker learnt from discussing it (``learning``).

Only the entry's owner reads or writes it; another's entry answers 404, a deleted entry
410. The evidence log is not changed: the record sits beside the entry, keyed by its id.
"""

from __future__ import annotations

import sqlite3
from typing import Any
from uuid import UUID

from asyncpg.exceptions import UniqueViolationError

from cpl.accounts.events import AccountErased
from cpl.db import write_transaction
from cpl.errors import Conflict, NotFound
from cpl.evidence.events import EntryDeleted
from cpl.evidence.service import owned_entry
from cpl.kernel import clock
from cpl.kernel.events import EventBus
from cpl.requirements.events import PeerDiscussionChanged
from cpl.requirements.schemas import PeerDiscussionIn, PeerDiscussionOut
from cpl.requirements.tables import PeerDiscussion


def peer_out(row: dict[str, Any]) -> PeerDiscussionOut:
    entry = row["entry"] if isinstance(row["entry"], UUID) else UUID(row["entry"])
    return PeerDiscussionOut(
        entry_id=entry, **{name: row[name] for name in PeerDiscussionIn.model_fields}, updated_at=row["updated_at"]
    )


async def get_peer_discussion(owner: UUID, entry_id: UUID) -> PeerDiscussionOut:
    await owned_entry(owner, entry_id)
    row = await PeerDiscussion.select().where(PeerDiscussion.entry == entry_id).first()
    if row is None:
        raise NotFound("No peer discussion is recorded for this entry.")
    return peer_out(row)


async def put_peer_discussion(
    owner: UUID, entry_id: UUID, data: PeerDiscussionIn, events: EventBus | None = None
) -> tuple[bool, PeerDiscussionOut]:
    """Record (201) or replace (200) the entry's peer discussion; publishes
    :class:`~cpl.requirements.events.PeerDiscussionChanged` (an import tells others once at its end)."""
    values = data.model_dump()
    now = clock.now()
    async with write_transaction():
        await owned_entry(owner, entry_id)
        existing = await PeerDiscussion.select(PeerDiscussion.entry).where(PeerDiscussion.entry == entry_id).first()
        if existing is None:
            row = {"entry": entry_id, "owner": owner, **values, "updated_at": now}
            try:
                await PeerDiscussion.insert(PeerDiscussion(**row))
            except (UniqueViolationError, sqlite3.IntegrityError) as error:
                raise Conflict(
                    "The peer discussion was recorded at the same moment by another request; retry."
                ) from error
            await _changed(events, owner, entry_id)
            return True, peer_out(row)
        await PeerDiscussion.update({**values, "updated_at": now}).where(PeerDiscussion.entry == entry_id)
        await _changed(events, owner, entry_id)
        return False, peer_out({"entry": entry_id, **values, "updated_at": now})


async def _changed(events: EventBus | None, owner: UUID, entry_id: UUID) -> None:
    if events is not None:
        await events.publish(PeerDiscussionChanged(owner=owner, entry_id=entry_id))


async def delete_peer_discussion(events: EventBus, owner: UUID, entry_id: UUID) -> None:
    """Forget the discussion (the peer's name and PIN with it); deleting twice is fine."""
    async with write_transaction():
        await owned_entry(owner, entry_id)
        await PeerDiscussion.delete().where(PeerDiscussion.entry == entry_id)
        await _changed(events, owner, entry_id)


async def forget_peer_discussion(deleted: EntryDeleted) -> None:
    """The entry was deleted: its peer's details (name, PIN, contact) are not the worker's to keep."""
    await PeerDiscussion.delete().where(PeerDiscussion.entry == deleted.entry_id)


async def erase_owner_peer_discussions(erased: AccountErased) -> None:
    """The peers the person named in their reflective discussions go with their record (GDPR Art. 17)."""
    await PeerDiscussion.delete().where(PeerDiscussion.owner == erased.account_id)


async def peer_discussions_data(owner: UUID) -> list[dict[str, Any]]:
    return await PeerDiscussion.select().where(PeerDiscussion.owner == owner)
