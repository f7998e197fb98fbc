"""Writing evidence entries: create, replace, patch, delete, and batches from an offline queue.

Rules every write keeps:
- An entry is its owner's alone. Someone else's id answers "not found" and is never touched.
- Sending content identical to what is stored is a replay: it changes nothing and answers
  with the entry as it stands, so a phone may retry any write safely.
- Changing an existing entry needs the version the writer last saw (``If-Match``); a stale
  one is refused, so no device silently overwrites another's change.
- Every change takes the owner's next change number inside its transaction (see
  :class:`~cpl.evidence.tables.EvidenceChangeCounter`), which is what sync pages by. A
  new entry's single statement on PostgreSQL is such a transaction (:mod:`cpl.evidence.store`).
  Numbers may be skipped (a write that changed nothing took one); sync needs only their order.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal
from uuid import UUID, uuid4

from pydantic import ValidationError

from cpl.db import write_transaction
from cpl.errors import Gone, InvalidInput, NotFound, PreconditionFailed, PreconditionRequired, invalid_input_from
from cpl.evidence.events import EntryDeleted
from cpl.evidence.records import content_columns, content_hash, content_of
from cpl.evidence.schemas import BatchItem, EvidenceContent, EvidencePatch
from cpl.evidence.store import create_entry_row, insert_entry, next_change_seq, stored_entry
from cpl.evidence.tables import EvidenceEntry
from cpl.kernel import clock
from cpl.kernel.events import EventBus

Outcome = Literal["created", "updated", "unchanged"]


async def owned_entry(owner: UUID, entry_id: UUID) -> dict[str, Any]:
    """The owner's live entry, or not found (someone else's) or gone (deleted)."""
    row = await stored_entry(entry_id)
    if row is None or row["owner"] != owner:
        raise NotFound("No evidence entry with this id.")
    if row["deleted_at"] is not None:
        raise Gone("This evidence entry was deleted.")
    return row


def _check_version(row: dict[str, Any], if_match: int | None) -> None:
    if if_match is None:
        raise PreconditionRequired("Send If-Match with the entry's ETag to change it.")
    if if_match != row["version"]:
        raise PreconditionFailed(
            f"The entry has changed since version {if_match}; it is now at version {row['version']}."
        )


def _new_row(owner: UUID, entry_id: UUID, content: EvidenceContent) -> dict[str, Any]:
    """A new entry's row, all but its change number."""
    now = datetime.now(UTC)
    return {
        "id": entry_id,
        "owner": owner,
        **content_columns(content),
        "version": 1,
        "created_at": now,
        "updated_at": now,
        "deleted_at": None,
    }


async def _insert(owner: UUID, entry_id: UUID, content: EvidenceContent, seq: int) -> dict[str, Any]:
    row = {**_new_row(owner, entry_id, content), "change_seq": seq}
    if not await insert_entry(row):
        # Another account created this id in a concurrent transaction: it is not ours to see.
        raise NotFound("No evidence entry with this id.")
    return row


async def _replace(row: dict[str, Any], content: EvidenceContent, seq: int) -> dict[str, Any]:
    changes = {
        **content_columns(content),
        "version": row["version"] + 1,
        "change_seq": seq,
        "updated_at": datetime.now(UTC),
    }
    await EvidenceEntry.update(changes).where(EvidenceEntry.id == row["id"])
    return {**row, **changes}


async def _save(owner: UUID, entry_id: UUID, content: EvidenceContent, if_match: int | None) -> tuple[Outcome, dict]:
    """Create or replace one entry; the caller holds the write transaction."""
    seq = await next_change_seq(owner)  # taken first: serialises this owner's writers
    row = await stored_entry(entry_id)
    if row is None:
        return "created", await _insert(owner, entry_id, content, seq)
    if row["owner"] != owner:
        raise NotFound("No evidence entry with this id.")
    if row["deleted_at"] is not None:
        raise Gone("This evidence entry was deleted.")
    if row["content_hash"] == content_hash(content):
        return "unchanged", row
    _check_version(row, if_match)
    return "updated", await _replace(row, content, seq)


async def put_entry(
    owner: UUID, entry_id: UUID, content: EvidenceContent, if_match: int | None
) -> tuple[Outcome, dict]:
    """``PUT``: create with the client's id, or replace with ``If-Match``.

    A new id is created in one step; only an id that exists (a replay, a change, or
    someone else's) takes the full path.
    """
    created = await create_entry_row(_new_row(owner, entry_id, content))
    if created is not None:
        return "created", created
    async with write_transaction():
        return await _save(owner, entry_id, content, if_match)


async def create_entry(owner: UUID, content: EvidenceContent) -> dict[str, Any]:
    """``POST``: create with an id chosen here."""
    async with write_transaction():
        return await _insert(owner, uuid4(), content, await next_change_seq(owner))


async def patch_entry(owner: UUID, entry_id: UUID, patch: EvidencePatch, if_match: int | None) -> dict[str, Any]:
    """Change only the fields sent; the result must still be a valid entry."""
    async with write_transaction():
        seq = await next_change_seq(owner)
        row = await owned_entry(owner, entry_id)
        _check_version(row, if_match)
        try:
            content = EvidenceContent.model_validate(
                {**content_of(row), **patch.model_dump(exclude_unset=True, mode="json")}
            )
        except ValidationError as error:
            raise invalid_input_from(error) from error
        if row["content_hash"] == content_hash(content):
            return row
        return await _replace(row, content, seq)


async def delete_entry(events: EventBus, owner: UUID, entry_id: UUID, if_match: int | None) -> None:
    """Soft delete: the content is erased and a tombstone stays for sync. Deleting twice is fine.

    :class:`~cpl.evidence.events.EntryDeleted` is published in the same transaction, so what
    other domains hold that the worker wrote about the entry goes with it, or nothing does.
    """
    async with write_transaction():
        seq = await next_change_seq(owner)
        row = await stored_entry(entry_id)
        if row is None or row["owner"] != owner:
            raise NotFound("No evidence entry with this id.")
        if row["deleted_at"] is not None:
            return
        if if_match is not None:
            _check_version(row, if_match)
        now = clock.now()
        await EvidenceEntry.update(
            {
                EvidenceEntry.title: "",
                EvidenceEntry.description: "",
                EvidenceEntry.reflection: {},
                EvidenceEntry.tags: [],
                EvidenceEntry.search_text: "",
                EvidenceEntry.tag_index: "",
                EvidenceEntry.duration_minutes: 0,
                EvidenceEntry.content_hash: "",
                EvidenceEntry.version: row["version"] + 1,
                EvidenceEntry.change_seq: seq,
                EvidenceEntry.updated_at: now,
                EvidenceEntry.deleted_at: now,
            }
        ).where(EvidenceEntry.id == entry_id)
        await events.publish(EntryDeleted(owner=owner, entry_id=entry_id))


async def apply_batch(owner: UUID, items: list[BatchItem]) -> list[tuple[Outcome, dict]]:
    """Save up to 100 entries all-or-nothing: one refusal rolls the whole batch back.

    Each item behaves as its own ``PUT`` (so replaying a batch changes nothing); the
    refusal names the item by its position.
    """
    ids = [item.id for item in items]
    if len(set(ids)) != len(ids):
        raise InvalidInput(
            "Each entry may appear once in a batch.", errors=[{"field": "entries", "message": "duplicate id"}]
        )
    results = []
    async with write_transaction():
        for position, item in enumerate(items):
            try:
                results.append(await _save(owner, item.id, item, item.if_match))
            except (NotFound, Gone, PreconditionFailed, PreconditionRequired) as error:
                error.detail = f"entries[{position}] ({item.id}): {error.detail}"
                error.errors = [{"field": f"entries.{position}", "message": error.detail}]
                raise
    return results
