"""Direct uploads: a phone on a poor network sends the file straight to storage, then asks cpl to attach it.

Rules:
- A slot is for one of the worker's live entries, one file of a declared size (within the
  size limit and the worker's quota, counting their other open slots) and SHA-256, and
  expires after ``upload_slot_ttl``.
- Completing it checks the stored object, not the declaration: the size, the SHA-256 and
  the type sniffed from the bytes must all hold; then the file goes through exactly the
  checks of an upload through the API. A refused object is deleted at once.
- Completing twice answers the same attachment. An expired slot is gone (410).
- When the worker already stored the same bytes, the slot says so and completion links
  them without any upload.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from anyio import to_thread
from piccolo.query.functions.aggregate import Sum

from cpl.attachments import service
from cpl.attachments.ingest import attach_file, check_quota, forget
from cpl.attachments.receive import describe, discard, spool_directory
from cpl.attachments.schemas import UploadSlotIn
from cpl.attachments.sniff import ACCEPTED_MEDIA_TYPES
from cpl.attachments.tables import UploadSlot
from cpl.errors import Conflict, Gone, InvalidInput, NotFound, TooLarge, UnsupportedType
from cpl.evidence.service import owned_entry
from cpl.kernel import clock
from cpl.settings import Settings
from cpl.storage import DirectUpload, Storage


async def _open_slot_bytes(owner: UUID, now: datetime) -> int:
    row = await (
        UploadSlot.select(Sum(UploadSlot.size).as_alias("pending"))
        .where(UploadSlot.owner == owner, UploadSlot.attachment.is_null(), UploadSlot.expires_at > now)
        .first()
    )
    return int(row["pending"] or 0)


async def open_slot(
    storage: Storage, settings: Settings, owner: UUID, request: UploadSlotIn
) -> tuple[dict[str, Any], DirectUpload, bool]:
    """Reserve a slot and return how to upload to it, and whether the bytes are already stored.

    The local store's upload URL is on ``public_base_url``, never on the request's ``Host``, which
    the client chooses (a forged Host would otherwise send the worker's file elsewhere).
    """
    await owned_entry(owner, request.entry_id)
    if request.size > settings.attachment_max_bytes:
        raise TooLarge(f"The file is larger than the {settings.attachment_max_bytes:,}-byte limit.")
    if request.media_type.split(";")[0].strip() not in ACCEPTED_MEDIA_TYPES:
        raise UnsupportedType(f"{request.media_type!r} is not an accepted type.")
    already_stored = await service.by_hash(owner, request.sha256) is not None
    now = clock.now()
    if not already_stored:
        await check_quota(settings, owner, request.size + await _open_slot_bytes(owner, now))
    slot_id = uuid4()
    key = f"uploads/{slot_id.hex}"
    direct = await storage.direct_upload(
        key, request.size, request.media_type, settings.upload_slot_ttl, settings.public_base_url
    )
    row = UploadSlot(
        id=slot_id,
        owner=owner,
        entry=request.entry_id,
        filename=request.filename,
        size=request.size,
        sha256=request.sha256,
        media_type=request.media_type,
        object_key=key,
        expires_at=now + settings.upload_slot_ttl,
    )
    await UploadSlot.insert(row)
    return row.to_dict(), direct, already_stored


async def check_slot_takes_bytes(slot_id: UUID) -> None:
    """The local store's upload URL takes bytes only for an open slot: not once it was completed
    (the bytes would be stored for no one) and not after it expired. The URL's signature says
    who may send; this says whether anything may still be sent."""
    row = await UploadSlot.select(UploadSlot.attachment, UploadSlot.expires_at).where(UploadSlot.id == slot_id).first()
    if row is None:
        raise NotFound("No such upload URL.")
    if row["attachment"] is not None:
        raise Gone("This upload slot has been completed; it takes no more bytes.")
    if row["expires_at"] <= clock.now():
        raise Gone("This upload slot has expired; open a new one.")


async def _slot(owner: UUID, slot_id: UUID) -> dict[str, Any]:
    row = await UploadSlot.select().where(UploadSlot.id == slot_id).first()
    if row is None or row["owner"] != owner:
        raise NotFound("No upload slot with this id.")
    return row


async def complete_slot(
    storage: Storage, settings: Settings, owner: UUID, slot_id: UUID
) -> tuple[dict[str, Any], bool]:
    """Check what was uploaded to the slot and attach it; True when newly linked to the entry."""
    slot = await _slot(owner, slot_id)
    if slot["attachment"] is not None:
        return await service.visible_attachment(owner, slot["attachment"]), False
    if slot["expires_at"] <= clock.now():
        raise Gone("This upload slot has expired; open a new one.")
    if (existing := await service.by_hash(owner, slot["sha256"])) is not None:
        row, created = await service.link_attachment(owner, slot["entry"], existing["id"])
    else:
        row, created = await _attach_upload(storage, settings, owner, slot)
    await UploadSlot.update({UploadSlot.attachment: row["id"]}).where(UploadSlot.id == slot_id)
    await forget(storage, [slot["object_key"]])
    return row, created


async def _attach_upload(storage: Storage, settings: Settings, owner: UUID, slot: dict[str, Any]) -> tuple[dict, bool]:
    stored = await storage.stat(slot["object_key"])
    if stored is None:
        raise Conflict("Nothing has been uploaded to this slot yet; upload the file, then complete.")
    try:
        if stored.size != slot["size"]:
            raise InvalidInput(
                f"The uploaded file has {stored.size:,} bytes; the slot was opened for {slot['size']:,}."
            )
        path = await spool_directory(settings) / f"{uuid4().hex}.upload"
        try:
            await storage.download_file(slot["object_key"], path)
            spooled = await to_thread.run_sync(describe, path, settings.attachment_max_bytes)
            if spooled.sha256 != slot["sha256"]:
                raise InvalidInput("The uploaded file's SHA-256 differs from the one declared for the slot.")
            return await attach_file(storage, settings, owner, slot["entry"], spooled, slot["filename"])
        finally:
            await discard(path)
    except (InvalidInput, UnsupportedType, TooLarge):
        await forget(storage, [slot["object_key"]])
        raise
