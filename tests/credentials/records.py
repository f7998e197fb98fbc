"""Portable records (RECORD.md, format version 1) for credential tests."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

FRAMEWORK_ID = str(uuid.uuid4())
ITEM_ID = str(uuid.uuid4())
ATTACHMENT_BYTES = b"%PDF-1.7 certificate of attendance"
#: The worker's credential subject, as their account would give it.
SUBJECT = f"urn:uuid:{uuid.uuid4()}"


def _verification(**overrides: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "verifier_name": "Morag Reid",
        "verifier_role": "Team leader",
        "verifier_registration_number": "SSSC 123456",
        "organisation_name": "Highland Care",
        "statement": "I observed the learning and its effect on practice.",
        "verified_at": "2025-03-04T10:00:00Z",
        "content_hash": "ab" * 32,
        **overrides,
    }


def entry(*, verified: bool, **overrides: Any) -> dict[str, Any]:
    """An entry mapped to the framework's item, with one attachment; verified or not."""
    attachment_id = str(uuid.uuid4())
    return {
        "id": str(uuid.uuid4()),
        "kind": "learning_activity",
        "title": "Adult support and protection course",
        "occurred_on": "2025-03-01",
        "ended_on": None,
        "duration_minutes": 180,
        "participatory": True,
        "activity_type": "course",
        "description": "Half-day course.",
        "reflection": {
            "what_happened": "Case studies.",
            "what_i_learned": "Escalation.",
            "how_it_changes_practice": "I record escalation times.",
        },
        "tags": ["safeguarding"],
        "created_at": "2025-03-01T12:00:00Z",
        "updated_at": "2025-03-01T12:00:00Z",
        "version": 1,
        "content_sha256": "cd" * 32,
        "competences": [
            {
                "item_id": ITEM_ID,
                "framework_id": FRAMEWORK_ID,
                "code": "P1",
                "title": "Protection",
                "note": "",
                "item_uri": f"https://cpl.example/case/{ITEM_ID}",
            }
        ],
        "attachments": [
            {
                "id": attachment_id,
                "filename": "certificate of attendance.pdf",
                "media_type": "application/pdf",
                "size": len(ATTACHMENT_BYTES),
                "sha256": hashlib.sha256(ATTACHMENT_BYTES).hexdigest(),
                "bundle_path": f"attachments/{attachment_id}/certificate of attendance.pdf",
            }
        ],
        "verifications": [_verification()] if verified else [],
        "peer_discussion": None,
        **overrides,
    }


def portable_record(entries: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Two verified entries on the same competence and one unverified, unless ``entries`` are given."""
    return {
        "format": "cpl-portable-record",
        "format_version": 1,
        "$schema": "http://localhost:8000/v1/schemas/portable-record-1.json",
        "export": {
            "id": str(uuid.uuid4()),
            "created_at": "2025-03-05T09:00:00Z",
            "selection": {},
            "issuer": {"name": "cpl", "did": "did:web:localhost%3A8000", "url": "http://localhost:8000"},
        },
        "worker": {"id": str(uuid.uuid4()), "display_name": "Ailsa Ross", "email": "ailsa@example.org"},
        "period": {"from": "2025-01-01", "to": None},
        "registrations": [],
        "frameworks": [
            {
                "id": FRAMEWORK_ID,
                "identifier": str(uuid.uuid4()),
                "uri": "https://cpl.example/case",
                "title": "SSSC core learning elements",
                "publisher": "SSSC",
                "edition": "2024",
                "source_uri": "",
                "items": [
                    {"id": ITEM_ID, "code": "P1", "title": "Protection", "uri": f"https://cpl.example/case/{ITEM_ID}"}
                ],
            }
        ],
        "entries": entries
        if entries is not None
        else [entry(verified=True), entry(verified=True), entry(verified=False)],
    }
