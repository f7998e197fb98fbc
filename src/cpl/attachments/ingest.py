"""Storing a received file and attaching it to an entry, so that a row never points at a missing object.

The order is fixed:

1. The same bytes already stored for this worker? Link that attachment; store nothing.
2. Check the whole file and prepare what is stored (images re-encoded), then the quota.
3. Write the objects to **staging** keys (a raw body of announced length is already there:
   it was sent on while it arrived, see :mod:`cpl.attachments.tee`). A failure here (store
   down: 503) leaves no row and the entry untouched; retrying later starts afresh.
4. Commit the row, pointing at the staging keys, and the link — in one transaction.
5. **Promote**, once the response has been sent: copy to the final keys (a server-side
   copy on S3, a hard link locally), repoint the row, delete the staging objects. If the
   store fails here the row still points at the staged objects, which exist and are
   served; the maintenance loop (:func:`cpl.attachments.cleanup.maintain`) or
   ``cpl storage reconcile --fix`` finishes the job.

A crash between 3 and 4 leaves staging objects that no row names: reconciliation deletes
them once they are older than ``storage_orphan_grace``.
"""

from __future__ import annotations

import logging
from typing import Any
from uuid import UUID, uuid4

from anyio import to_thread

from cpl.attachments import service
from cpl.attachments.checks import Prepared, prepare
from cpl.attachments.filenames import safe_filename
from cpl.attachments.receive import Spooled, discard
from cpl.attachments.tables import Attachment
from cpl.db import write_transaction
from cpl.errors import Conflict, StorageUnavailable, TooLarge
from cpl.evidence.service import owned_entry
from cpl.settings import Settings
from cpl.storage import Storage

logger = logging.getLogger("cpl.attachments")

THUMBNAIL_TYPE = "image/jpeg"


async def check_quota(settings: Settings, owner: UUID, extra_bytes: int) -> None:
    used = await service.used_bytes(owner)
    if used + extra_bytes > settings.attachment_quota_bytes:
        raise TooLarge(
            f"This file would take your stored files to {used + extra_bytes:,} bytes; "
            f"your quota is {settings.attachment_quota_bytes:,} bytes. Remove files you no longer need."
        )


async def _stage(storage: Storage, attachment_id: UUID, prepared: Prepared, sent: str | None) -> tuple[str, str | None]:
    """Put the file and its thumbnail under staging keys (the file may already be there: ``sent``)."""
    key = sent or f"staging/{attachment_id.hex}"
    thumbnail_key = f"staging/{attachment_id.hex}.thumb" if prepared.thumbnail else None
    if sent is None:
        await storage.put_file(key, prepared.path, prepared.kind.media_type)
    try:
        if prepared.thumbnail and thumbnail_key:
            await storage.put_file(thumbnail_key, prepared.thumbnail, THUMBNAIL_TYPE)
    except BaseException:
        await forget(storage, [key])
        raise
    return key, thumbnail_key


async def forget(storage: Storage, keys: list[str | None]) -> None:
    """Best-effort removal of objects no row names; what fails here, reconciliation finds."""
    keys = [key for key in keys if key]
    if not keys:
        return
    try:
        await storage.delete(keys)
    except StorageUnavailable:
        logger.warning("could not delete unreferenced objects %s; reconcile will", keys)


def _row(
    attachment_id: UUID, owner: UUID, spooled: Spooled, prepared: Prepared, filename: str, keys: tuple
) -> Attachment:
    return Attachment(
        id=attachment_id,
        owner=owner,
        sha256=spooled.sha256,
        size=spooled.size,
        stored_size=prepared.size,
        stored_sha256=prepared.sha256 or spooled.sha256,
        thumbnail_size=prepared.thumbnail_size,
        media_type=prepared.kind.media_type,
        filename=filename,
        state="staged",
        object_key=keys[0],
        thumbnail_key=keys[1],
        width=prepared.width,
        height=prepared.height,
    )


async def _commit(owner: UUID, entry_id: UUID, row: Attachment) -> bool:
    """Insert the staged row and its link; False when the same bytes were committed concurrently."""
    try:
        async with write_transaction():
            await owned_entry(owner, entry_id)
            await Attachment.insert(row)
            await service.add_link(row.id, entry_id)
    except service.DUPLICATE:
        return False
    return True


async def _store_new(
    storage: Storage,
    settings: Settings,
    owner: UUID,
    entry_id: UUID,
    spooled: Spooled,
    prepared: Prepared,
    filename: str | None,
) -> dict[str, Any] | None:
    """Steps 2–4 for a file new to this worker; None when the same bytes were committed concurrently."""
    await check_quota(settings, owner, prepared.stored_bytes)
    attachment_id = uuid4()
    sent = spooled.staged_key if prepared.path == spooled.path else None
    keys = await _stage(storage, attachment_id, prepared, sent)
    row = _row(attachment_id, owner, spooled, prepared, safe_filename(filename, prepared.kind), keys)
    ours = [key for key in keys if key and key != spooled.staged_key]
    try:
        committed = await _commit(owner, entry_id, row)
    except BaseException:
        await forget(storage, ours)
        raise
    if not committed:
        await forget(storage, ours)
        return None
    return row.to_dict()


async def attach_file(
    storage: Storage, settings: Settings, owner: UUID, entry_id: UUID, spooled: Spooled, filename: str | None
) -> tuple[dict[str, Any], bool]:
    """Store a received file (once per worker) and link it to the entry; True when newly linked.

    A new attachment comes back ``staged``: the caller promotes it (:func:`promote_later`).
    Whatever happens, a staging object sent early that no row took is deleted.
    """
    unclaimed = spooled.staged_key
    try:
        existing = await service.by_hash(owner, spooled.sha256)
        if existing is None:
            prepared = await to_thread.run_sync(
                prepare,
                spooled.path,
                spooled.size,
                spooled.kind,
                settings.image_max_pixels,
                settings.image_max_decoded_bytes,
            )
            try:
                row = await _store_new(storage, settings, owner, entry_id, spooled, prepared, filename)
            finally:
                for path in (prepared.path, prepared.thumbnail):
                    if path != spooled.path:
                        await discard(path)
            if row is not None:
                unclaimed = None if row["object_key"] == spooled.staged_key else unclaimed
                return row, True
            if (existing := await service.by_hash(owner, spooled.sha256)) is None:
                raise Conflict("The same file was being removed at the same time; send it again.")
        return await service.link_attachment(owner, entry_id, existing["id"])
    finally:
        await forget(storage, [unclaimed])


def final_keys(attachment_id: UUID, has_thumbnail: bool) -> tuple[str, str | None]:
    return f"attachments/{attachment_id.hex}", f"thumbnails/{attachment_id.hex}" if has_thumbnail else None


async def promote(storage: Storage, row: dict[str, Any]) -> dict[str, Any]:
    """Move a staged attachment's objects to their final keys: copy, repoint the row, delete the staged ones.

    Safe to repeat. If the store fails, the row keeps pointing at the staged objects.
    """
    if row["state"] != "staged":
        return row
    key, thumbnail_key = final_keys(row["id"], row["thumbnail_key"] is not None)
    staged = [row["object_key"], row["thumbnail_key"]]
    try:
        await storage.copy(row["object_key"], key)
        if thumbnail_key:
            await storage.copy(row["thumbnail_key"], thumbnail_key)
    except (StorageUnavailable, FileNotFoundError) as error:
        logger.warning("attachment %s stays staged for now: %r", row["id"], error)
        return row
    changes = {Attachment.state: "stored", Attachment.object_key: key, Attachment.thumbnail_key: thumbnail_key}
    repointed = (
        await Attachment.update(changes)
        .where(Attachment.id == row["id"], Attachment.state == "staged")
        .returning(Attachment.id)
    )
    if not repointed and not await Attachment.exists().where(Attachment.id == row["id"]):
        await forget(storage, [key, thumbnail_key])  # released while we copied: the copies are nobody's
    await forget(storage, staged)
    return {**row, "state": "stored", "object_key": key, "thumbnail_key": thumbnail_key}


async def settled(storage: Storage, row: dict[str, Any]) -> dict[str, Any]:
    """The attachment with its objects where no promotion will delete them, for a reader.

    A promotion deletes the staged objects once it has copied them, so a reader holding a
    staged key (a download's redirect, an export streaming the file) could lose the file
    under it. Readers promote a staged attachment first; when someone else promoted it
    meanwhile, the row is read again. Only when the store refuses the copy is the staged key
    returned — the promotion that deletes it cannot run either until the store is back.
    """
    if row["state"] != "staged":
        return row
    promoted = await promote(storage, row)
    if promoted["state"] != "staged":
        return promoted
    current = await Attachment.select(Attachment.state, Attachment.object_key, Attachment.thumbnail_key).where(
        Attachment.id == row["id"]
    )
    return {**row, **current[0]} if current else row


async def promote_later(storage: Storage, row: dict[str, Any]) -> None:
    """Promote after the response: nothing may escape, since no client is waiting for the outcome."""
    try:
        await promote(storage, row)
    except Exception:
        logger.exception("promoting attachment %s failed; it stays staged until maintenance", row["id"])
