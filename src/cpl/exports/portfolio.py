"""A shared export as a readable portfolio: what a regulator or auditor sees in a browser (issue 15, item 3).

The page shows the export, not the record as it stands now: the portable record the export was
made of is kept next to its file (:func:`keep_record`) and read back for the page, so the
entries, reflections, competences, registrations and their progress are exactly what the worker
exported. Two things are looked up live, because a reader must not be misled by a snapshot:

- **each verification's state**: ``current`` while the verifier's binding still matches the entry
  as it now stands, ``stale`` once the entry was edited, a file added or removed, or the entry
  deleted (:mod:`cpl.reviews.binding`); the verifier's organisation is labelled vetted or
  self-declared as of the verification (:func:`cpl.kernel.registers.verifier_line`);
- **each file**: served from the store only while the stored bytes are still the ones the export
  carries (same SHA-256); otherwise the page says the file is no longer held.

Exports made before the record was kept have no page of their own: the page offers their file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from uuid import UUID

from anyio import to_thread

from cpl.attachments.tables import Attachment
from cpl.kernel.registers import verifier_line
from cpl.reviews.binding import verifications_of
from cpl.storage import Storage

#: What a browser may show itself; anything else is only downloaded (an HTML or SVG file could run script).
SHOWN_INLINE = (
    *("image/jpeg", "image/png", "image/webp", "image/gif"),
    *("audio/mpeg", "audio/mp4", "audio/ogg", "audio/wav", "audio/flac", "audio/webm"),
    *("application/pdf", "text/plain"),
)
REFLECTION_LABELS = {
    "what_happened": "What happened",
    "what_i_learned": "What I learned",
    "how_it_changes_practice": "How it changes my practice",
}


def record_key(export_id: UUID) -> str:
    return f"exports/{export_id.hex}.record"


async def keep_record(storage: Storage, work: Path, export_id: UUID, record: dict[str, Any]) -> None:
    """Store the record an export was made of next to its file, for the shared portfolio page."""
    path = work / "portfolio-record.json"
    await to_thread.run_sync(path.write_text, json.dumps(record, ensure_ascii=False), "utf-8")
    await storage.put_file(record_key(export_id), path, "application/json")


async def load_record(storage: Storage, export_id: UUID) -> dict[str, Any] | None:
    """The record kept with the export; None for an export made before records were kept."""
    key = record_key(export_id)
    if await storage.stat(key) is None:
        return None
    body = b"".join([chunk async for chunk in storage.read_chunks(key)])
    return json.loads(body)


def exported_file(record: dict[str, Any], attachment_id: str) -> dict[str, Any] | None:
    """The attachment as the export carries it (name, type, size, SHA-256), if it carries it."""
    for entry in record["entries"]:
        for attachment in entry["attachments"]:
            if attachment["id"] == attachment_id:
                return attachment
    return None


async def stored_key(exported: dict[str, Any]) -> str | None:
    """Where the exported file's bytes are stored, while they are still the exported ones."""
    row = (
        await Attachment.select(Attachment.object_key, Attachment.stored_sha256, Attachment.sha256)
        .where(Attachment.id == UUID(exported["id"]))
        .first()
    )
    if row is None or (row["stored_sha256"] or row["sha256"]) != exported["sha256"]:
        return None
    return row["object_key"]


async def verification_states(record: dict[str, Any]) -> dict[str, str]:
    """``current`` or ``stale`` for each verification the record carries, as things now stand."""
    entry_ids = [UUID(entry["id"]) for entry in record["entries"]]
    return {str(item.id): "stale" if item.stale else "current" for item in await verifications_of(entry_ids)}


def shown_inline(media_type: str) -> bool:
    """True when a browser may show a file of this type itself rather than save it."""
    return media_type.partition(";")[0].strip() in SHOWN_INLINE


def _file(attachment: dict[str, Any]) -> dict[str, Any]:
    media_type = attachment["media_type"]
    viewable = shown_inline(media_type)
    kind = media_type.partition("/")[0] if viewable and media_type.startswith(("image/", "audio/")) else "link"
    return {**attachment, "shown": kind, "viewable": viewable}


def _entry(entry: dict[str, Any], states: dict[str, str]) -> dict[str, Any]:
    reflection = entry.get("reflection") or {}
    return {
        **entry,
        "hours": f"{entry['duration_minutes'] / 60:.2f}".rstrip("0").rstrip("."),
        "reflection": [
            (REFLECTION_LABELS.get(key, key.replace("_", " ").capitalize()), text)
            for key, text in reflection.items()
            if text
        ],
        "competences": [f"{item['code']} {item['title']}".strip() for item in entry["competences"]],
        "files": [_file(item) for item in entry["attachments"]],
        "verifications": [
            {
                "who": verifier_line(item),
                "on": item["verified_at"][:10],
                "statement": item.get("statement") or "",
                "state": states.get(item["id"], "stale"),
            }
            for item in entry["verifications"]
        ],
    }


def portfolio_view(record: dict[str, Any], states: dict[str, str]) -> dict[str, Any]:
    """What the portfolio template shows, from the exported record and the verifications' states."""
    return {
        "worker": record["worker"]["display_name"],
        "issuer": record["export"]["issuer"]["name"],
        "exported_at": record["export"]["created_at"][:10],
        "period": record["period"],
        "registrations": record["registrations"],
        "entries": [_entry(entry, states) for entry in record["entries"]],
    }
