"""What a verification is bound to, and whether it still holds.

A verification stores the SHA-256 of the entry's content hash and its attachments' SHA-256s
(sorted) as they stood when it was made. The same hash is computed from the entry as it now
stands whenever verifications are read: when the two differ (the entry was edited, a file
added or removed, the entry deleted) the verification is stale — kept in the history, never
counted.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from typing import Any
from uuid import UUID

from cpl.attachments.tables import AttachmentLink
from cpl.evidence.repository import live_content_hashes
from cpl.kernel.registers import organisation_standing, registration_label
from cpl.reviews.schemas import VerificationOut
from cpl.reviews.tables import Verification


def binding_hash(hashed: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(hashed, sort_keys=True).encode()).hexdigest()


async def current_bindings(entry_ids: list[UUID]) -> dict[UUID, dict[str, Any]]:
    """For each live entry: ``{"entry": content hash, "attachments": [sha256, …]}`` as it now stands."""
    if not entry_ids:
        return {}
    hashes = await live_content_hashes(entry_ids)
    found = {entry_id: {"entry": content_hash, "attachments": []} for entry_id, content_hash in hashes.items()}
    links = (
        await AttachmentLink.select(AttachmentLink.entry, AttachmentLink.attachment.sha256).where(
            AttachmentLink.entry.is_in(list(found))
        )
        if found
        else []
    )
    for link in links:
        found[link["entry"]]["attachments"].append(link["attachment.sha256"])
    for hashed in found.values():
        hashed["attachments"].sort()
    return found


async def verifications_of(entry_ids: list[UUID]) -> list[VerificationOut]:
    """Every verification of the entries, oldest first, each marked stale or not."""
    if not entry_ids:
        return []
    rows = await Verification.select().where(Verification.entry.is_in(entry_ids)).order_by(Verification.verified_at)
    bindings = await current_bindings(list({row["entry"] for row in rows}))
    current = {entry: binding_hash(hashed) for entry, hashed in bindings.items()}
    return [
        VerificationOut(
            id=row["id"],
            entry_id=row["entry"],
            review_id=row["review"],
            verifier_id=row["verifier"],
            verifier_name=row["verifier_name"],
            verifier_role=row["verifier_role"],
            verifier_registration_number=row["verifier_registration_number"],
            verifier_register=row["verifier_register"],
            registration_shown_as=registration_label(row["verifier_registration_number"], row["verifier_register"]),
            organisation_id=row["organisation"],
            organisation_name=row["organisation_name"],
            organisation_vetted=row["organisation_vetted"],
            organisation_standing=organisation_standing(row["organisation_vetted"]),
            statement=row["statement"],
            verified_at=row["verified_at"].astimezone(UTC),
            content_hash=row["content_hash"],
            stale=current.get(row["entry"]) != row["content_hash"],
        )
        for row in rows
    ]


#: The keys each of :func:`current_verifications`' dicts carries.
EXPORT_KEYS = (
    "id",
    "verifier_name",
    "verifier_role",
    "verifier_registration_number",
    "verifier_register",
    "organisation_name",
    "organisation_vetted",
    "organisation_standing",
    "statement",
    "verified_at",
    "content_hash",
)


async def current_verifications(entry_ids: list[UUID]) -> dict[UUID, list[dict]]:
    """For each entry id, its verifications that still hold (not stale), oldest first, as
    dicts with :data:`EXPORT_KEYS` (``verified_at`` a UTC datetime). Entries without any may
    be absent. For portable records (exports)."""
    found: dict[UUID, list[dict]] = {}
    for verification in await verifications_of(entry_ids):
        if not verification.stale:
            found.setdefault(verification.entry_id, []).append({key: getattr(verification, key) for key in EXPORT_KEYS})
    return found
