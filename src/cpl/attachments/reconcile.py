"""``cpl storage reconcile [--fix]``: compare the rows with the store, in both directions.

Reported (and, with ``--fix``, repaired):

- **orphan objects** — in the store, named by no row, and older than
  ``storage_orphan_grace`` (younger ones may belong to an upload in flight): deleted;
- **missing objects** — a row whose object is gone: the row is deleted (with its links),
  since nothing can be served from it; a missing thumbnail only loses the thumbnail;
- **unpromoted attachments** — rows still on their staging keys: promoted;
- **files of deleted entries** not yet released, **expired upload slots** and **queued
  deletions**: released, removed and carried out;
- **crash leftovers** — spool and export work files, partial objects and unfinished
  multipart uploads untouched for ``crash_leftover_age``: removed (only with ``--fix``, and
  counted only then: finding them costs a listing of the store's uploads).

Without ``--fix`` nothing is changed. Every key in the store is held in memory while
comparing (about 100 bytes each).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from cpl.attachments import cleanup, service
from cpl.attachments.ingest import final_keys, promote
from cpl.attachments.tables import Attachment, AttachmentLink, StorageGarbage, UploadSlot
from cpl.kernel import clock
from cpl.settings import Settings
from cpl.storage import Storage, StoredObject


@dataclass
class Report:
    fixed: bool
    objects_seen: int = 0
    orphan_objects: list[str] = field(default_factory=list)
    missing_objects: list[str] = field(default_factory=list)
    missing_thumbnails: list[UUID] = field(default_factory=list)
    unpromoted: list[UUID] = field(default_factory=list)
    deleted_entries_holding_files: int = 0
    expired_slots: int = 0
    queued_deletions: int = 0
    crash_leftovers: int = 0

    @property
    def clean(self) -> bool:
        return not (
            self.orphan_objects
            or self.missing_objects
            or self.missing_thumbnails
            or self.unpromoted
            or self.deleted_entries_holding_files
            or self.expired_slots
            or self.queued_deletions
            or self.crash_leftovers
        )

    def lines(self) -> list[str]:
        verb = "fixed" if self.fixed else "found"
        out = [f"objects in the store: {self.objects_seen}"]
        out += [f"orphan object ({verb}): {key}" for key in self.orphan_objects]
        out += [f"row without its object ({verb}): {text}" for text in self.missing_objects]
        out += [f"attachment without its thumbnail ({verb}): {item}" for item in self.missing_thumbnails]
        out += [f"attachment not yet promoted ({verb}): {item}" for item in self.unpromoted]
        for label, count in (
            ("deleted entries still holding files", self.deleted_entries_holding_files),
            ("expired upload slots", self.expired_slots),
            ("queued object deletions", self.queued_deletions),
            ("crash leftovers removed", self.crash_leftovers),
        ):
            if count:
                out.append(f"{label} ({verb}): {count}")
        out.append("consistent" if self.clean else ("repaired" if self.fixed else "inconsistent: run with --fix"))
        return out


async def _housekeeping(storage: Storage, settings: Settings, report: Report, now: datetime) -> None:
    """Releases, expired slots and queued deletions: counted, and carried out when fixing."""
    stale = await AttachmentLink.select(AttachmentLink.entry).where(AttachmentLink.entry.deleted_at.is_not_null())
    report.deleted_entries_holding_files = len({row["entry"] for row in stale})
    report.expired_slots = await UploadSlot.count().where(UploadSlot.expires_at < now)
    report.queued_deletions = await StorageGarbage.count()
    if report.fixed:
        await service.release_deleted_entries()
        await cleanup.expire_slots(storage, now)
        await cleanup.sweep_garbage(storage)
        report.crash_leftovers = await cleanup.clean_crash_leftovers(storage, settings, now)


async def _referenced() -> set[str]:
    keys: set[str] = set()
    for row in await Attachment.select(Attachment.object_key, Attachment.thumbnail_key):
        keys.update(key for key in (row["object_key"], row["thumbnail_key"]) if key)
    keys.update(row["object_key"] for row in await UploadSlot.select(UploadSlot.object_key))
    keys.update(row["object_key"] for row in await StorageGarbage.select(StorageGarbage.object_key))
    return keys


async def _check_row(storage: Storage, row: dict[str, Any], present: dict[str, StoredObject], report: Report) -> None:
    final, final_thumbnail = final_keys(row["id"], row["thumbnail_key"] is not None)
    if row["object_key"] not in present and final not in present:
        report.missing_objects.append(f"attachment {row['id']} ({row['object_key']})")
        if report.fixed:
            await Attachment.delete().where(Attachment.id == row["id"])
        return
    if row["thumbnail_key"] and row["thumbnail_key"] not in present and final_thumbnail not in present:
        report.missing_thumbnails.append(row["id"])
        if report.fixed:
            changes = {Attachment.thumbnail_key: None, Attachment.thumbnail_size: 0}
            await Attachment.update(changes).where(Attachment.id == row["id"])
            row = {**row, "thumbnail_key": None}
    if row["state"] == "staged":
        report.unpromoted.append(row["id"])
        if report.fixed:
            await _finish_promotion(storage, row, present)


async def _finish_promotion(storage: Storage, row: dict[str, Any], present: dict[str, StoredObject]) -> None:
    """Promote; when a crash left the copies made but the row unchanged, just repoint the row."""
    final, final_thumbnail = final_keys(row["id"], row["thumbnail_key"] is not None)
    if row["object_key"] in present and (not row["thumbnail_key"] or row["thumbnail_key"] in present):
        await promote(storage, row)
        return
    changes = {Attachment.state: "stored", Attachment.object_key: final, Attachment.thumbnail_key: final_thumbnail}
    await Attachment.update(changes).where(Attachment.id == row["id"])
    await storage.delete([key for key in (row["object_key"], row["thumbnail_key"]) if key])


async def reconcile(storage: Storage, settings: Settings, fix: bool, now: datetime | None = None) -> Report:
    now = now or clock.now()
    report = Report(fixed=fix)
    await _housekeeping(storage, settings, report, now)
    present = {found.key: found async for found in storage.list_objects()}
    report.objects_seen = len(present)
    for row in await Attachment.select():
        await _check_row(storage, row, present, report)
    if fix and (report.unpromoted or report.missing_objects):
        present = {found.key: found async for found in storage.list_objects()}
    referenced = await _referenced()
    cutoff = now - settings.storage_orphan_grace
    report.orphan_objects = sorted(
        key for key, found in present.items() if key not in referenced and found.last_modified < cutoff
    )
    if fix and report.orphan_objects:
        await storage.delete(report.orphan_objects)
    return report
