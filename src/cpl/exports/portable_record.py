"""The portable record, format version 1: a worker's record as one JSON object.

The format is the contract in ``portable-record-1.json`` (JSON Schema, draft 2020-12), served
at ``GET /v1/schemas/portable-record-1.json``. The PDF renderer, the credential issuer and
``POST /v1/imports`` all read it, so it is complete enough to move a record between cpl
services: entries with their reflections, competence mappings (by framework identifier and
item code, which survive a move), attachments (by SHA-256 of the bytes a bundle carries),
current verifications, peer discussions and registrations with their progress.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import msgspec

from cpl.accounts.tables import Account
from cpl.attachments.tables import AttachmentLink
from cpl.competences.case_export import item_uri
from cpl.competences.tables import CompetenceFramework, CompetenceLink
from cpl.exports.selection import Resolved, chunks, resolve
from cpl.kernel import clock
from cpl.requirements.progress import my_progress
from cpl.requirements.tables import PeerDiscussion
from cpl.reviews import current_verifications
from cpl.settings import Settings
from cpl.signing import issuer_did
from cpl.storage import Storage

FORMAT = "cpl-portable-record"
FORMAT_VERSION = 1
SCHEMA_NAME = "portable-record-1.json"
SCHEMA_PATH = f"/v1/schemas/{SCHEMA_NAME}"
ENTRY_FIELDS = (
    "id",
    "kind",
    "title",
    "occurred_on",
    "ended_on",
    "duration_minutes",
    "participatory",
    "activity_type",
    "description",
    "reflection",
    "tags",
    "created_at",
    "updated_at",
    "version",
)
REGISTRATION_FIELDS = ("id", "register", "registration_number", "part", "cycle_start", "renewal_date", "pack_edition")
PEER_FIELDS = ("name", "pin", "email", "address", "role", "learning")


def jsonable(value: Any) -> Any:
    """Dates as ``YYYY-MM-DD``, times as RFC 3339 UTC with ``Z``, ids as text, all the way down."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
    return value


def bundle_path(attachment: dict[str, Any]) -> str:
    return f"attachments/{attachment['id']}/{attachment['filename']}"


async def stored_sha256(storage: Storage, key: str) -> str:
    digest = hashlib.sha256()
    async for chunk in storage.read_chunks(key):
        digest.update(chunk)
    return digest.hexdigest()


async def _competences(entry_ids: list[UUID], base_url: str) -> tuple[dict[UUID, list[dict]], list[dict]]:
    """Each entry's mappings, and the frameworks they point into (with only the mapped items).

    An item's ``uri`` is its CASE URI: the one its package gave, else the one cpl mints and
    serves it at (``/ims/case/v1p0/CFItems/{identifier}``), so credentials align to what a
    CASE consumer can fetch.
    """
    by_entry: dict[UUID, list[dict]] = {}
    items: dict[UUID, dict[str, Any]] = {}
    for piece in chunks(entry_ids):
        rows = (
            await CompetenceLink.select(
                CompetenceLink.entry,
                CompetenceLink.note,
                CompetenceLink.framework,
                CompetenceLink.item.id.as_alias("item_id"),
                CompetenceLink.item.code.as_alias("code"),
                CompetenceLink.item.title.as_alias("title"),
                CompetenceLink.item.statement.as_alias("statement"),
                CompetenceLink.item.uri.as_alias("item_uri"),
                CompetenceLink.item.identifier.as_alias("item_identifier"),
                CompetenceLink.item.position.as_alias("position"),
            )
            .where(CompetenceLink.entry.is_in(piece))
            .order_by(CompetenceLink.item.position)
        )
        for row in rows:
            title = row["title"] or row["statement"]
            row["item_uri"] = item_uri(base_url, row["item_uri"], row["item_identifier"])
            by_entry.setdefault(row["entry"], []).append(
                {
                    "item_id": row["item_id"],
                    "framework_id": row["framework"],
                    "code": row["code"],
                    "title": title,
                    "note": row["note"],
                    "item_uri": row["item_uri"],
                }
            )
            items[row["item_id"]] = {
                "framework": row["framework"],
                "id": row["item_id"],
                "code": row["code"],
                "title": title,
                "uri": row["item_uri"],
                "position": row["position"],
            }
    frameworks = []
    framework_ids = sorted({item["framework"] for item in items.values()}, key=str)
    if framework_ids:
        rows = (
            await CompetenceFramework.select(
                CompetenceFramework.id,
                CompetenceFramework.identifier,
                CompetenceFramework.uri,
                CompetenceFramework.title,
                CompetenceFramework.publisher,
                CompetenceFramework.edition,
                CompetenceFramework.source_uri,
            )
            .where(CompetenceFramework.id.is_in(framework_ids))
            .order_by(CompetenceFramework.title)
        )
        for row in rows:
            mine = sorted(
                (item for item in items.values() if item["framework"] == row["id"]), key=lambda i: i["position"]
            )
            row["items"] = [{name: item[name] for name in ("id", "code", "title", "uri")} for item in mine]
            frameworks.append(row)
    return by_entry, frameworks


async def _attachments(storage: Storage, entry_ids: list[UUID]) -> dict[UUID, list[dict]]:
    """Each entry's files, with the size and SHA-256 of the stored bytes, which the bundle carries.

    Images are stored re-encoded, so the uploaded bytes' digest would not match: ``sha256`` here is
    the attachment's ``stored_sha256``, hashed from the object for an image stored before it was recorded.
    """
    by_entry: dict[UUID, list[dict]] = {}
    for piece in chunks(entry_ids):
        rows = (
            await AttachmentLink.select(
                AttachmentLink.entry,
                AttachmentLink.attachment.id.as_alias("id"),
                AttachmentLink.attachment.filename.as_alias("filename"),
                AttachmentLink.attachment.media_type.as_alias("media_type"),
                AttachmentLink.attachment.stored_size.as_alias("size"),
                AttachmentLink.attachment.stored_sha256.as_alias("sha256"),
                AttachmentLink.attachment.object_key.as_alias("object_key"),
                AttachmentLink.attachment.thumbnail_key.as_alias("thumbnail_key"),
            )
            .where(AttachmentLink.entry.is_in(piece))
            .order_by(AttachmentLink.id)
        )
        for row in rows:
            if row["sha256"] is None:
                row["sha256"] = await stored_sha256(storage, row["object_key"])
            by_entry.setdefault(row.pop("entry"), []).append(row)
    return by_entry


async def _peers(entry_ids: list[UUID]) -> dict[UUID, dict]:
    found: dict[UUID, dict] = {}
    for piece in chunks(entry_ids):
        for row in await PeerDiscussion.select().where(PeerDiscussion.entry.is_in(piece)):
            found[row["entry"]] = {name: row[name] for name in PEER_FIELDS}
    return found


async def _registrations(owner: UUID, resolved: Resolved) -> list[dict[str, Any]]:
    if not resolved.registrations:
        return []
    progress = msgspec.to_builtins(await my_progress(owner, clock.now().date()))
    by_id = {item["registration"]["id"]: item for item in progress["registrations"]}
    return [
        {**{name: row[name] for name in REGISTRATION_FIELDS}, "progress": by_id.get(str(row["id"]))}
        for row in resolved.registrations
    ]


def _entry(row: dict, competences: dict, attachments: dict, verifications: dict, peers: dict) -> dict[str, Any]:
    entry = {name: row[name] for name in ENTRY_FIELDS}
    entry["content_sha256"] = row["content_hash"]
    entry["competences"] = competences.get(row["id"], [])
    entry["attachments"] = [
        {
            **{name: file[name] for name in ("id", "filename", "media_type", "size", "sha256")},
            "bundle_path": bundle_path(file),
        }
        for file in attachments.get(row["id"], [])
    ]
    entry["verifications"] = verifications.get(row["id"], [])
    entry["peer_discussion"] = peers.get(row["id"])
    return entry


async def build_record(
    settings: Settings, storage: Storage, *, owner: UUID, export_id: UUID, created_at: datetime, selection: dict
) -> dict[str, Any]:
    """The worker's record as the selection takes it in, as plain JSON values (see the module docstring)."""
    resolved = await resolve(owner, selection)
    worker = await Account.select(Account.id, Account.display_name, Account.email).where(Account.id == owner).first()
    entry_ids = [row["id"] for row in resolved.entries]
    competences, frameworks = await _competences(entry_ids, settings.public_base_url)
    attachments = await _attachments(storage, entry_ids)
    verifications = await current_verifications(entry_ids) if entry_ids else {}
    peers = await _peers(entry_ids)
    base = settings.public_base_url.rstrip("/")
    record = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "$schema": f"{base}{SCHEMA_PATH}",
        "export": {
            "id": export_id,
            "created_at": created_at,
            "selection": selection,
            "issuer": {"name": settings.service_name, "did": issuer_did(settings), "url": base},
        },
        "worker": worker,
        "period": {"from": resolved.period_from, "to": resolved.period_to},
        "registrations": await _registrations(owner, resolved),
        "frameworks": frameworks,
        "entries": [_entry(row, competences, attachments, verifications, peers) for row in resolved.entries],
    }
    return jsonable(record)


def record_files(record: dict[str, Any]) -> list[dict[str, Any]]:
    """Every attachment the record names, once each (one file may support several entries)."""
    files: dict[str, dict[str, Any]] = {}
    for entry in record["entries"]:
        for attachment in entry["attachments"]:
            files.setdefault(attachment["id"], attachment)
    return list(files.values())
