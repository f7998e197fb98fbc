"""Who may see an attachment, and linking files to entries.

Rules:
- An attachment belongs to the worker who uploaded it. Who may see it is decided in one
  place, :func:`visible_attachment`: today only its owner (supervisors seeing shared
  entries come later); anyone else gets "not found", never "forbidden".
- The same file may support many of its owner's entries. Unlinking it from one entry
  leaves it on the others; unlinking (or deleting) the last entry deletes the file.
- Rows and objects are let go of together: a row deleted in a transaction queues its
  objects in :class:`~cpl.attachments.tables.StorageGarbage` in that same transaction,
  and the objects are deleted after it commits (:mod:`cpl.attachments.cleanup`).
"""

from __future__ import annotations

import sqlite3
from typing import Any
from uuid import UUID

from asyncpg.exceptions import UniqueViolationError
from piccolo.query.functions.aggregate import Sum

from cpl.accounts.events import AccountErased
from cpl.attachments.tables import Attachment, AttachmentLink, StorageGarbage, UploadSlot
from cpl.db import write_transaction
from cpl.errors import NotFound
from cpl.evidence.events import EntryDeleted
from cpl.evidence.service import owned_entry

DUPLICATE = (UniqueViolationError, sqlite3.IntegrityError)


async def visible_attachment(viewer: UUID, attachment_id: UUID) -> dict[str, Any]:
    """The attachment if ``viewer`` may see it, else NotFound. Today: its owner only."""
    row = await Attachment.select().where(Attachment.id == attachment_id).first()
    if row is None or row["owner"] != viewer:
        raise NotFound("No attachment with this id.")
    return row


async def linked_entries(attachment_ids: list[UUID]) -> dict[UUID, list[UUID]]:
    """The live entries each attachment supports."""
    if not attachment_ids:
        return {}
    rows = await AttachmentLink.select(AttachmentLink.attachment, AttachmentLink.entry).where(
        AttachmentLink.attachment.is_in(attachment_ids), AttachmentLink.entry.deleted_at.is_null()
    )
    found: dict[UUID, list[UUID]] = {attachment_id: [] for attachment_id in attachment_ids}
    for row in rows:
        found[row["attachment"]].append(row["entry"])
    return found


async def entry_attachments(owner: UUID, entry_id: UUID) -> list[dict[str, Any]]:
    """The attachments of one of the owner's entries, oldest link first."""
    await owned_entry(owner, entry_id)
    links = (
        await AttachmentLink.select(AttachmentLink.attachment)
        .where(AttachmentLink.entry == entry_id)
        .order_by(AttachmentLink.id)
    )
    ids = [link["attachment"] for link in links]
    rows = {row["id"]: row for row in await Attachment.select().where(Attachment.id.is_in(ids))} if ids else {}
    return [rows[attachment_id] for attachment_id in ids if attachment_id in rows]


async def by_hash(owner: UUID, sha256: str) -> dict[str, Any] | None:
    return await Attachment.select().where(Attachment.owner == owner, Attachment.sha256 == sha256).first()


async def used_bytes(owner: UUID) -> int:
    """What the owner's files take in the store (each stored once, thumbnails included)."""
    row = await (
        Attachment.select(
            Sum(Attachment.stored_size).as_alias("stored"), Sum(Attachment.thumbnail_size).as_alias("thumbnails")
        )
        .where(Attachment.owner == owner)
        .first()
    )
    return int(row["stored"] or 0) + int(row["thumbnails"] or 0)


async def add_link(attachment_id: UUID, entry_id: UUID) -> bool:
    """Link inside the caller's transaction; False when the link was already there."""
    exists = await AttachmentLink.exists().where(
        AttachmentLink.attachment == attachment_id, AttachmentLink.entry == entry_id
    )
    if exists:
        return False
    await AttachmentLink.insert(AttachmentLink(attachment=attachment_id, entry=entry_id))
    return True


async def link_attachment(owner: UUID, entry_id: UUID, attachment_id: UUID) -> tuple[dict[str, Any], bool]:
    """Let one of the owner's files support another of their entries; True when newly linked."""
    row = await visible_attachment(owner, attachment_id)
    try:
        async with write_transaction():
            await owned_entry(owner, entry_id)
            created = await add_link(attachment_id, entry_id)
    except DUPLICATE:
        created = False  # the same link made by a concurrent request
    return row, created


async def _release_unlinked(attachment_ids: list[UUID]) -> list[str]:
    """Delete those of these attachments that no link holds any more; queue their objects for deletion."""
    keys: list[str] = []
    for attachment_id in attachment_ids:
        if await AttachmentLink.exists().where(AttachmentLink.attachment == attachment_id):
            continue
        row = await Attachment.select().where(Attachment.id == attachment_id).first()
        if row is None:
            continue
        await Attachment.delete().where(Attachment.id == attachment_id)
        keys += [key for key in (row["object_key"], row["thumbnail_key"]) if key]
    if keys:
        await StorageGarbage.insert(*[StorageGarbage(object_key=key) for key in keys])
    return keys


async def unlink_attachment(owner: UUID, entry_id: UUID, attachment_id: UUID) -> list[str]:
    """Take a file off one entry; when no entry is left, the file is deleted. Returns keys to delete."""
    async with write_transaction():
        await owned_entry(owner, entry_id)
        await visible_attachment(owner, attachment_id)
        deleted = (
            await AttachmentLink.delete()
            .where(AttachmentLink.attachment == attachment_id, AttachmentLink.entry == entry_id)
            .returning(AttachmentLink.id)
        )
        if not deleted:
            raise NotFound("This attachment is not on this entry.")
        return await _release_unlinked([attachment_id])


async def release_entry_attachments(entry_id: UUID) -> list[str]:
    """Inside the transaction that deleted an entry: its files go with it unless another entry uses them.

    Removes the entry's links, deletes the attachments no other entry holds, and queues their
    objects in the same transaction; the objects are deleted once it has committed.
    """
    links = await AttachmentLink.delete().where(AttachmentLink.entry == entry_id).returning(AttachmentLink.attachment)
    return await _release_unlinked(sorted({link["attachment"] for link in links}))


async def release_deleted_entry(deleted: EntryDeleted) -> None:
    """The entry was deleted: its files go with it unless another entry uses them, and so do the
    upload slots opened for it (the filename the worker gave) and whatever was uploaded to them."""
    await release_entry_attachments(deleted.entry_id)
    slots = await UploadSlot.delete().where(UploadSlot.entry == deleted.entry_id).returning(UploadSlot.object_key)
    if slots:
        await StorageGarbage.insert(*[StorageGarbage(object_key=slot["object_key"]) for slot in slots])


async def release_deleted_entries() -> int:
    """Release the files of entries deleted without :func:`release_entry_attachments` (reconciliation)."""
    stale = await AttachmentLink.select(AttachmentLink.entry).where(AttachmentLink.entry.deleted_at.is_not_null())
    entry_ids = sorted({row["entry"] for row in stale})
    for entry_id in entry_ids:
        async with write_transaction():
            await release_entry_attachments(entry_id)
    return len(entry_ids)


async def erase_owner_files(erased: AccountErased) -> None:
    """Every file of the person, its thumbnail and every upload slot go: the rows now, the objects
    queued in ``storage_garbage`` and deleted once the erasure has committed (GDPR Art. 17)."""
    owner = erased.account_id
    files = (
        await Attachment.delete()
        .where(Attachment.owner == owner)
        .returning(Attachment.object_key, Attachment.thumbnail_key)
    )
    slots = await UploadSlot.delete().where(UploadSlot.owner == owner).returning(UploadSlot.object_key)
    keys = [key for row in files for key in (row["object_key"], row["thumbnail_key"]) if key]
    keys += [row["object_key"] for row in slots]
    if keys:
        await StorageGarbage.insert(*[StorageGarbage(object_key=key) for key in keys])


async def files_data(owner: UUID) -> list[dict[str, Any]]:
    """What cpl knows of each of the person's files (the files themselves: :func:`files_of`)."""
    rows = await Attachment.select(
        Attachment.id,
        Attachment.filename,
        Attachment.media_type,
        Attachment.size,
        Attachment.sha256,
        Attachment.created_at,
    ).where(Attachment.owner == owner)
    links = await linked_entries([row["id"] for row in rows])
    return [{**row, "entries": links.get(row["id"], [])} for row in rows]


async def files_of(owner: UUID) -> list[tuple[str, str]]:
    """Every file of the person: its name in the copy (``files/<id>-<name>``; names were made safe
    when stored) and its object key."""
    rows = await Attachment.select(Attachment.id, Attachment.filename, Attachment.object_key).where(
        Attachment.owner == owner
    )
    return [(f"files/{row['id']}-{row['filename'].replace('/', '_')}", row["object_key"]) for row in rows]
