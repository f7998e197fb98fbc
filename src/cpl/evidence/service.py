"""Writing evidence entries: create, replace, patch, delete, and batches from an offline queue.

Rules every write keeps:
- An entry is its owner's alone. Someone else's id answers "not found" and is never touched.
- Sending content identical to what is stored is a replay: it changes nothing (and takes no
  change number) and answers with the entry as it stands, so a phone may retry any write safely.
- Changing an existing entry needs the version the writer last saw (``If-Match``); a stale
  one is refused, so no device silently overwrites another's change.
- Every change takes the owner's next change number inside its transaction (see
  :class:`~cpl.evidence.tables.EvidenceChangeCounter`), which is what sync pages by. A ``PUT``
  is a single statement on PostgreSQL, itself such a transaction (:func:`.repository.save`); a
  batch's changes take consecutive numbers in the batch's order.
  Numbers may be skipped (a write that lost a race took one); sync needs only their order.
"""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID, uuid4

from pydantic import ValidationError

from cpl.accounts.events import AccountErased
from cpl.db import write_transaction
from cpl.errors import (
    Conflict,
    Gone,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    invalid_input_from,
)
from cpl.evidence import repository
from cpl.evidence.events import EntriesSaved, EntryDeleted
from cpl.evidence.mapping import content_columns, content_hash, content_of
from cpl.evidence.schemas import BatchItem, EvidenceContent, EvidencePatch
from cpl.kernel import clock
from cpl.kernel.events import EventBus

Outcome = Literal["created", "updated", "unchanged"]
#: Statements a write tries before giving up on an entry other writers keep changing under it
#: (PostgreSQL only: on SQLite a write holds the database's write lock).
_ATTEMPTS = 3


async def owned_entry(owner: UUID, entry_id: UUID) -> dict[str, Any]:
    """The owner's live entry, or not found (someone else's) or gone (deleted)."""
    row = await repository.entry_by_id(entry_id)
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
    """The row of an entry with this content, as if new (a change keeps the stored ``created_at``)."""
    now = clock.now()
    return {
        "id": entry_id,
        "owner": owner,
        **content_columns(content),
        "version": 1,
        "created_at": now,
        "updated_at": now,
        "deleted_at": None,
    }


async def put_entry(
    owner: UUID,
    entry_id: UUID,
    content: EvidenceContent,
    if_match: int | None,
    events: EventBus | None = None,
    *,
    accepts_suggestion: bool = False,
) -> tuple[Outcome, dict]:
    """``PUT``: create with the client's id, or replace with ``If-Match``; replays change nothing.

    A creation or replacement publishes :class:`~cpl.evidence.events.EntriesSaved` in its
    transaction; every path of the API that writes an entry (``POST``, ``PUT``, ``PATCH``, batches)
    gives ``events`` (an import tells others once at its end, ``cpl.exports.restore``; the demo's
    new worker shares nothing). A creation that ``accepts_suggestion`` says so in the event.
    """
    if events is None:
        return await _save(owner, entry_id, content, if_match)
    async with write_transaction():
        outcome, stored = await _save(owner, entry_id, content, if_match)
        if outcome == "created":
            accepting = (entry_id,) if accepts_suggestion else ()
            await events.publish(EntriesSaved(owner=owner, created=(entry_id,), accepting=accepting))
        elif outcome == "updated":
            await events.publish(EntriesSaved(owner=owner, changed=(entry_id,)))
    return outcome, stored


def _judge(stored: dict[str, Any] | None, row: dict[str, Any], if_match: int | None) -> Outcome:
    """What writing ``row`` over the stored entry would be, or the refusal (the rules above)."""
    if stored is None:
        return "created"
    if stored["owner"] != row["owner"]:
        raise NotFound("No evidence entry with this id.")
    if stored["deleted_at"] is not None:
        raise Gone("This evidence entry was deleted.")
    if stored["content_hash"] == row["content_hash"]:
        return "unchanged"
    _check_version(stored, if_match)
    return "updated"


async def _save(owner: UUID, entry_id: UUID, content: EvidenceContent, if_match: int | None) -> tuple[Outcome, dict]:
    """Each try is one call of :func:`.repository.save`; only writers racing on the same id try again."""
    row = _new_row(owner, entry_id, content)
    for _ in range(_ATTEMPTS):
        saved = await repository.save(row, if_match)
        if saved is None:
            continue  # another writer created this id meanwhile: look at what it wrote
        written, stored = saved
        if written:
            return ("created" if stored["version"] == 1 else "updated"), stored
        if _judge(stored, row, if_match) == "unchanged":
            return "unchanged", stored
        # At the version sent, yet not changed: another writer changed it meanwhile.
    raise Conflict("Other requests are changing this entry at the same time; retry shortly.")


async def create_entry(owner: UUID, content: EvidenceContent, events: EventBus | None = None) -> dict[str, Any]:
    """``POST``: create with an id chosen here."""
    _, row = await put_entry(owner, uuid4(), content, None, events)
    return row


async def patch_entry(
    events: EventBus, owner: UUID, entry_id: UUID, patch: EvidencePatch, if_match: int | None
) -> dict[str, Any]:
    """Change only the fields sent; the result must still be a valid entry.

    A retried edit whose result is what is stored already is a replay (README, "Offline-first
    writing"): it answers the entry as it stands, whatever ``If-Match`` it carries, as ``PUT`` does.
    """
    row = await owned_entry(owner, entry_id)
    try:
        content = EvidenceContent.model_validate(
            {**content_of(row), **patch.model_dump(exclude_unset=True, mode="json")}
        )
    except ValidationError as error:
        raise invalid_input_from(error) from error
    if content_hash(content) == row["content_hash"]:
        return row
    _check_version(row, if_match)
    _, saved = await put_entry(owner, entry_id, content, if_match, events)
    return saved


async def delete_entry(events: EventBus, owner: UUID, entry_id: UUID, if_match: int | None) -> None:
    """Soft delete: the content is erased and a tombstone stays for sync. Deleting twice is fine.

    :class:`~cpl.evidence.events.EntryDeleted` is published in the same transaction, so what
    other domains hold that the worker wrote about the entry goes with it, or nothing does.
    """
    async with write_transaction():
        seq = await repository.take_change_seq(owner)
        row = await repository.entry_by_id(entry_id)
        if row is None or row["owner"] != owner:
            raise NotFound("No evidence entry with this id.")
        if row["deleted_at"] is not None:
            return
        if if_match is not None:
            _check_version(row, if_match)
        await repository.erase(entry_id, row["version"] + 1, seq, clock.now())
        await events.publish(EntryDeleted(owner=owner, entry_id=entry_id))


async def apply_batch(events: EventBus, owner: UUID, items: list[BatchItem]) -> list[tuple[Outcome, dict]]:
    """Save up to 100 entries all-or-nothing: one refusal rolls the whole batch back.

    Each item behaves as its own ``PUT`` (so replaying a batch changes nothing); the refusal names
    the item by its position. The items written take the owner's next change numbers in the
    batch's order. A few statements whatever the batch's size: the owner's counter is locked, the
    items' stored entries read and judged here, and the writes made by one multi-row statement;
    one :class:`~cpl.evidence.events.EntriesSaved` tells others. An id another owner's writer
    takes between the read and the write (PostgreSQL) refuses the batch with 409; retried, the
    batch is judged again (404 naming the item).
    """
    ids = [item.id for item in items]
    if len(set(ids)) != len(ids):
        raise InvalidInput(
            "Each entry may appear once in a batch.", errors=[{"field": "entries", "message": "duplicate id"}]
        )
    async with write_transaction():
        last_seq = await repository.lock_counter(owner)
        stored = await repository.entries_for_batch(ids)
        judged = [
            _judge_item(position, item, _new_row(owner, item.id, item), stored) for position, item in enumerate(items)
        ]
        to_write = []
        for outcome, row in judged:
            if outcome != "unchanged":
                last_seq += 1
                to_write.append({**row, "change_seq": last_seq})
        written = await repository.save_batch(owner, to_write, last_seq) if to_write else {}
        if len(written) < len(to_write):
            raise Conflict("Other requests are changing these entries at the same time; retry shortly.")
        if to_write:
            await events.publish(_saved(owner, items, to_write))
    return [(outcome, written.get(row["id"], row)) for outcome, row in judged]


def _saved(owner: UUID, items: list[BatchItem], written: list[dict[str, Any]]) -> EntriesSaved:
    accepting = {item.id for item in items if item.accepts_suggestion}
    created = tuple(row["id"] for row in written if row["version"] == 1)
    return EntriesSaved(
        owner=owner,
        created=created,
        changed=tuple(row["id"] for row in written if row["version"] > 1),
        accepting=tuple(entry_id for entry_id in created if entry_id in accepting),
    )


def _judge_item(
    position: int, item: BatchItem, row: dict[str, Any], stored: dict[UUID, dict[str, Any]]
) -> tuple[Outcome, dict[str, Any]]:
    """The item's outcome and the row to write (a change keeps the stored ``created_at`` and takes
    the next version), or the stored row of a replay; a refusal names the item."""
    found = stored.get(item.id)
    try:
        outcome = _judge(found, row, item.if_match)
    except (NotFound, Gone, PreconditionFailed, PreconditionRequired) as error:
        error.detail = f"entries[{position}] ({item.id}): {error.detail}"
        error.errors = [{"field": f"entries.{position}", "message": error.detail}]
        raise
    if found is None:
        return outcome, row
    if outcome == "unchanged":
        return outcome, found
    return outcome, {**row, "version": found["version"] + 1, "created_at": found["created_at"]}


async def written_ids(owner: UUID, entry_ids: list[UUID]) -> set[UUID]:
    """Which of these ids the owner has written an entry with (deleted ones included)."""
    return {entry for entry, holder in (await repository.owners_of(entry_ids)).items() if holder == owner}


async def erase_entries(erased: AccountErased) -> None:
    """The person's entries and deleted ones' tombstones go (GDPR Art. 17)."""
    await repository.erase_owner(erased.account_id)


async def entries_data(owner: UUID) -> list[dict[str, Any]]:
    """Every entry of the person, deleted ones' remaining metadata (id, dates, change number) too."""
    return await repository.all_entries_of(owner)
