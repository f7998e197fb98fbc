"""Bringing a checked portable record into a worker's account, so that a move loses nothing.

Rules:
- Entries keep their ids where the id is free here. An id another account already holds is
  replaced by one derived from the importing account and the original id (UUID v5), so
  importing again finds the same entry.
- An entry already here with the same content is left as it is ("unchanged"); one here with
  other content, or deleted here, is kept as it is here: an import never overwrites the
  worker's own later changes, nor brings back what they deleted.
- Competence mappings are re-linked by framework identifier and item code (the item's URI
  when it has no code), preferring the same edition; mappings to frameworks or items this
  service does not hold are skipped and counted.
- Registrations (kept ids, as entries) and peer discussions are created when absent, never replaced.
- Attachments (bundles only) are re-stored through the usual checks (type from the bytes,
  quota, one copy per worker), after their SHA-256 was checked against the record.
- Verifications are part of the record (and of the PDF) but are not re-created: they were
  made by people on the service that issued the record, which still answers for them.
- Entries, mappings, registrations and discussions are written in one transaction; files
  are stored after it. If storing a file fails, importing the same upload again completes it.
"""

from __future__ import annotations

import hashlib
import uuid
import zipfile
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from anyio import to_thread

from cpl.attachments.ingest import attach_file, promote
from cpl.attachments.receive import Spooled, discard, spool_directory
from cpl.attachments.service import by_hash
from cpl.attachments.sniff import SNIFF_BYTES, sniff
from cpl.competences.case_export import CASE_PATH
from cpl.competences.links import replace_links
from cpl.competences.schemas import CompetenceLinkIn
from cpl.competences.tables import CompetenceFramework, CompetenceItem, CompetenceLink
from cpl.db import write_transaction
from cpl.errors import Gone, PreconditionRequired
from cpl.evidence import repository as evidence_repository
from cpl.evidence.service import put_entry
from cpl.exports.events import RecordImported
from cpl.exports.members import checked_member, read_member
from cpl.exports.portable_record import record_files
from cpl.exports.schemas import ImportOut
from cpl.exports.selection import chunks
from cpl.kernel.events import EventBus
from cpl.requirements.peers import put_peer_discussion
from cpl.requirements.service import put_registration
from cpl.requirements.tables import PeerDiscussion, Registration
from cpl.settings import Settings
from cpl.storage import Storage

#: Namespace of the ids given to imported entries and registrations whose id was taken here.
RENUMBERED = uuid.UUID("7f0c3d52-5a8e-4f43-9d0e-2b6f1c1e9a10")


@dataclass
class Checked:
    """A record that passed every check, with its parts as the API's request models."""

    record: dict[str, Any]
    entries: list[Any] = field(default_factory=list)
    peers: list[Any] = field(default_factory=list)
    registrations: list[Any] = field(default_factory=list)


async def _registration_owners(ids: list[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    rows = await Registration.select(Registration.id, Registration.owner).where(Registration.id.is_in(ids))
    return {row["id"]: row["owner"] for row in rows}


async def _local_ids(
    owners_of: Callable[[list[uuid.UUID]], Awaitable[dict[uuid.UUID, uuid.UUID]]],
    owner: uuid.UUID,
    originals: list[str],
) -> dict[str, uuid.UUID]:
    """Each original id as it will be here: itself, unless another account holds it."""
    ids = [uuid.UUID(value) for value in originals]
    taken: set[uuid.UUID] = set()
    for piece in chunks(ids):
        taken |= {held for held, holder in (await owners_of(piece)).items() if holder != owner}
    return {str(value): uuid.uuid5(RENUMBERED, f"{owner}/{value}") if value in taken else value for value in ids}


def _same_item(item: dict[str, Any]) -> Any:
    """By code; without one by URI, where a URI a cpl service minted (``…/CFItems/<identifier>``,
    given to items their package left without one) also matches the item with that identifier."""
    if item["code"]:
        return CompetenceItem.code == item["code"]
    _, minted, identifier = item["uri"].rpartition(f"{CASE_PATH}/CFItems/")
    if minted:
        return (CompetenceItem.uri == item["uri"]) | (CompetenceItem.identifier == identifier)
    return CompetenceItem.uri == item["uri"]


async def _local_items(record: dict[str, Any]) -> dict[str, uuid.UUID]:
    """Record item id → the item here with the same framework identifier and code (or URI)."""
    found: dict[str, uuid.UUID] = {}
    for framework in record["frameworks"]:
        editions = (
            await CompetenceFramework.select(CompetenceFramework.id, CompetenceFramework.edition)
            .where(CompetenceFramework.identifier == framework["identifier"])
            .order_by(CompetenceFramework.imported_at, ascending=False)
        )
        editions.sort(key=lambda row: row["edition"] != framework["edition"])
        for item in framework["items"]:
            match = _same_item(item)
            for edition in editions:
                local = (
                    await CompetenceItem.select(CompetenceItem.id)
                    .where((CompetenceItem.framework == edition["id"]) & match)
                    .first()
                )
                if local:
                    found[item["id"]] = local["id"]
                    break
    return found


async def _link(
    owner: uuid.UUID, entry_id: uuid.UUID, entry: dict, items: dict[str, uuid.UUID], counts: Counter
) -> None:
    stored = await CompetenceLink.select(CompetenceLink.item, CompetenceLink.note).where(
        CompetenceLink.entry == entry_id
    )
    links = [CompetenceLinkIn(item_id=row["item"], note=row["note"]) for row in stored]
    have = {row["item"] for row in stored}
    for mapping in entry["competences"]:
        local = items.get(mapping["item_id"])
        if local is None:
            counts["competence_links_skipped"] += 1
        elif local not in have:
            have.add(local)
            links.append(CompetenceLinkIn(item_id=local, note=mapping["note"][:500]))
            counts["competence_links_added"] += 1
    if len(links) > len(stored):
        await replace_links(owner, entry_id, links)


async def _entries(owner: uuid.UUID, checked: Checked, counts: Counter) -> dict[str, uuid.UUID]:
    """Write the entries, their mappings and discussions; returns the live local id of each record entry."""
    record = checked.record
    ids = await _local_ids(evidence_repository.owners_of, owner, [entry["id"] for entry in record["entries"]])
    items = await _local_items(record)
    live: dict[str, uuid.UUID] = {}
    for position, entry in enumerate(record["entries"]):
        local = ids[entry["id"]]
        try:
            outcome, _ = await put_entry(owner, local, checked.entries[position], None)
            counts[f"entries_{outcome}"] += 1
            counts["entries_renumbered"] += outcome == "created" and local != uuid.UUID(entry["id"])
        except PreconditionRequired:
            counts["entries_kept"] += 1  # changed here since: the worker's version stands
        except Gone:
            counts["entries_kept"] += 1  # deleted here: not brought back
            continue
        live[entry["id"]] = local
        await _link(owner, local, entry, items, counts)
        peer = checked.peers[position]
        if peer is not None and not await PeerDiscussion.exists().where(PeerDiscussion.entry == local):
            await put_peer_discussion(owner, local, peer)
            counts["peer_discussions_created"] += 1
    return live


async def _registrations(owner: uuid.UUID, checked: Checked, counts: Counter) -> None:
    rows = checked.record["registrations"]
    ids = await _local_ids(_registration_owners, owner, [row["id"] for row in rows])
    for row, data in zip(rows, checked.registrations, strict=True):
        local = ids[row["id"]]
        if await Registration.exists().where(Registration.id == local):
            counts["registrations_kept"] += 1
            continue
        await put_registration(owner, local, data)
        counts["registrations_created"] += 1


def _extract(bundle_path: Path, member: str, target: Path, max_bytes: int) -> Spooled:
    digest, size, head = hashlib.sha256(), 0, b""
    with zipfile.ZipFile(bundle_path) as bundle, target.open("wb") as writer:
        for chunk in read_member(bundle, checked_member(bundle, member, max_bytes, member)):
            head += chunk[: max(SNIFF_BYTES - len(head), 0)]
            digest.update(chunk)
            size += len(chunk)
            writer.write(chunk)
    return Spooled(target, size, digest.hexdigest(), sniff(head, complete=size <= SNIFF_BYTES))


async def _attachments(
    settings: Settings,
    storage: Storage,
    owner: uuid.UUID,
    checked: Checked,
    bundle: Path,
    live: dict[str, uuid.UUID],
    counts: Counter,
) -> None:
    folder = await spool_directory(settings)
    for file in record_files(checked.record):
        entries = [
            live[entry["id"]]
            for entry in checked.record["entries"]
            if entry["id"] in live and any(item["id"] == file["id"] for item in entry["attachments"])
        ]
        target = folder / f"import-{uuid.uuid4().hex}"
        spooled = await to_thread.run_sync(_extract, bundle, file["bundle_path"], target, settings.attachment_max_bytes)
        try:
            counts["attachments_unchanged" if await by_hash(owner, spooled.sha256) else "attachments_stored"] += 1
            for entry_id in entries:
                row, _ = await attach_file(storage, settings, owner, entry_id, spooled, file["filename"])
                await promote(storage, row)
        finally:
            await discard(spooled.path)


async def restore(
    settings: Settings, events: EventBus, owner: uuid.UUID, checked: Checked, bundle: tuple[Storage, Path] | None
) -> ImportOut:
    """Everything but the files in one transaction, which publishes
    :class:`~cpl.exports.events.RecordImported` (the writes inside tell no one one by one)."""
    counts: Counter = Counter()
    async with write_transaction():
        live = await _entries(owner, checked, counts)
        await _registrations(owner, checked, counts)
        await events.publish(RecordImported(owner=owner))
    if bundle is None:
        counts["attachments_not_in_upload"] = len(record_files(checked.record))
    else:
        await _attachments(settings, bundle[0], owner, checked, bundle[1], live, counts)
    return ImportOut(**{name: counts[name] for name in ImportOut.__struct_fields__})
