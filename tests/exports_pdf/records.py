"""Portable records (RECORD.md, format version 1) and attachment files for the PDF tests."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path
from typing import Any

from PIL import Image

EXPORT_ID = "5f0c2a9e-7d4b-4c1e-9a3f-2b8d6e1f0a47"
VERIFY_URL = f"https://cpl.example/v1/exports/{EXPORT_ID}/verify"
FRAMEWORK_ID = "0b7e4c1a-2f3d-4e5a-8b6c-9d0e1f2a3b4c"
WORKER_NAME = "Siobhán Ó Dónaill"
#: The thumbnail's source is a flat colour, so its thumbnail can be recognised.
IMAGE_RGB = (230, 120, 20)
#: About 1,900 words: a reflection that cannot fit on one page.
LONG_REFLECTION = " ".join(
    f"Paragraph {n}: Zoë and I went over the handover — “what matters to you?” came first, and the "
    f"family’s worries about the night shift were written down word for word before anything else."
    + ("\n\n" if n % 4 == 3 else "")
    for n in range(60)
)


def _id(seed: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, seed))


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _rule(title: str, unit: str, required: int, achieved: int, status: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": _id(title),
        "title": title,
        "type": "minimum_" + unit,
        "status": status,
        "unit": unit,
        "source": {"title": "Revalidation requirements", "url": "https://www.nmc.org.uk/revalidation/requirements/"},
        "required": required,
        "achieved": achieved,
        "remaining": max(required - achieved, 0),
        "period": {"start": "2023-04-01", "end": "2026-03-31"},
        "due_on": "2026-03-31",
        "entries": [],
        "not_counted": [],
        "items": None,
        "gaps": None,
        "activity_types": None,
        "in_units": None,
        **extra,
    }


def _registration(register: str, part: str, number: str, rules: list[dict[str, Any]], status: str) -> dict[str, Any]:
    registration_id = _id(register)
    pack = {
        "register": register,
        "edition": "2024-1",
        "title": f"{register.upper()} CPD requirements",
        "effective_from": "2024-01-01",
        "effective_to": None,
        "source": {"title": "Regulator guidance", "url": f"https://{register}.example/cpd"},
    }
    fields = {
        "id": registration_id,
        "register": register,
        "registration_number": number,
        "part": part,
        "cycle_start": "2023-04-01",
        "renewal_date": "2026-03-31",
        "pack_edition": "2024-1",
    }
    registration_out = {
        **fields,
        "practice_summary": "",
        "created_at": "2024-01-02T09:00:00Z",
        "updated_at": "2024-01-02T09:00:00Z",
    }
    progress = {"registration": registration_out, "pack": pack, "status": status, "rules": rules}
    return {**fields, "progress": progress}


def registrations() -> list[dict[str, Any]]:
    nmc = _registration(
        "nmc",
        "nursing",
        "98Y1234E",
        [
            _rule("35 hours of CPD", "minutes", 2100, 1530, "at_risk"),
            _rule("20 hours participatory", "minutes", 1200, 1200, "met"),
            _rule("5 reflective accounts", "entries", 5, 2, "on_track"),
        ],
        "at_risk",
    )
    credits = {"name": "credits", "minutes_per_unit": 60, "required": 30.0, "achieved": 12.5, "remaining": 17.5}
    coru = _registration(
        "coru",
        "social_work",
        "SW012345",
        [
            _rule("30 CPD credits", "minutes", 1800, 750, "not_met", in_units=credits),
        ],
        "not_met",
    )
    return [nmc, coru]


def attachment(name: str, media_type: str, content: bytes) -> dict[str, Any]:
    attachment_id = _id(name)
    return {
        "id": attachment_id,
        "filename": name,
        "media_type": media_type,
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
        "bundle_path": f"attachments/{attachment_id}/{name}",
    }


def write_attachments(folder: Path) -> tuple[list[dict[str, Any]], dict[str, Path]]:
    """A photo, a PDF and a corrupt 'photo': their record entries and the images map."""
    photo = folder / "ward-round.png"
    Image.new("RGB", (1200, 900), IMAGE_RGB).save(photo)
    broken = folder / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 this is not really a JPEG")
    certificate = b"%PDF-1.4 a certificate of attendance"
    files = [
        attachment("ward-round.png", "image/png", photo.read_bytes()),
        attachment("certificate.pdf", "application/pdf", certificate),
        attachment("broken.jpg", "image/jpeg", broken.read_bytes()),
    ]
    return files, {files[0]["id"]: photo, files[2]["id"]: broken}


def entry(n: int, **overrides: Any) -> dict[str, Any]:
    fields = {
        "id": _id(f"entry-{n}"),
        "kind": "learning_activity",
        "title": f"Entry {n}: sepsis update — “Sepsis Six”",
        "occurred_on": "2025-03-01",
        "ended_on": "2025-03-02",
        "duration_minutes": 210,
        "participatory": True,
        "activity_type": "course",
        "description": f"Study day {n} on recognising sepsis early.",
        "reflection": {
            "what_happened": f"What happened in entry {n}.",
            "what_i_learned": f"Learned {n}.",
            "how_it_changes_practice": f"Changes {n}.",
        },
        "tags": ["sepsis", "acute care"],
        "created_at": "2025-03-02T18:00:00Z",
        "updated_at": "2025-03-02T18:00:00Z",
        "version": 1,
        "content_sha256": _sha(f"entry-{n}"),
        "competences": [],
        "attachments": [],
        "verifications": [],
        "peer_discussion": None,
    }
    return {**fields, **overrides}


def competence(code: str, title: str, note: str = "") -> dict[str, Any]:
    return {
        "item_id": _id(code),
        "framework_id": FRAMEWORK_ID,
        "code": code,
        "title": title,
        "note": note,
        "item_uri": f"https://cpl.example/ims/case/v1p0/CFItems/{_id(code)}",
    }


def verification(entry_hash: str) -> dict[str, Any]:
    return {
        "id": _id("verification"),
        "verifier_name": "Zoë Nakamura-Brennan",
        "verifier_role": "Ward manager",
        "verifier_registration_number": "12A3456B",
        "verifier_register": "nmc",
        "organisation_name": "St Mungo’s Trust",
        "organisation_vetted": True,
        "organisation_standing": "vetted organisation",
        "statement": "I watched this practice and confirm it took place.",
        "verified_at": "2025-03-05T10:30:00Z",
        "content_hash": entry_hash,
    }


def rich_entry(files: list[dict[str, Any]]) -> dict[str, Any]:
    """The entry that uses every part of the format, with a reflection that spans pages."""
    first = entry(
        1,
        kind="reflective_account",
        title="Reflective account — night-shift handover",
        reflection={
            "what_happened": LONG_REFLECTION,
            "what_i_learned": "Listening comes first.",
            "how_it_changes_practice": "I now start every handover with the family’s concerns.",
        },
        attachments=files,
        competences=[
            competence("1.1", "Treat people as individuals", "Handover centred on the family."),
            competence("8.2", "Maintain effective communication"),
        ],
    )
    first["verifications"] = [verification(first["content_sha256"])]
    first["peer_discussion"] = {
        "name": "Aoife Ní Bhriain",
        "pin": "12B3456C",
        "email": "aoife@example.org",
        "address": "",
        "role": "Charge nurse",
        "learning": "We agreed a shared checklist.",
    }
    return first


def framework() -> dict[str, Any]:
    return {
        "id": FRAMEWORK_ID,
        "identifier": "nmc-code-2018",
        "uri": "https://cpl.example/ims/case/v1p0/CFDocuments/x",
        "title": "The Code (NMC)",
        "publisher": "Nursing and Midwifery Council",
        "edition": "2018",
        "source_uri": "https://www.nmc.org.uk/standards/code/",
        "items": [
            {"id": _id(code), "code": code, "title": title, "uri": f"https://cpl.example/items/{code}"}
            for code, title in (("1.1", "Treat people as individuals"), ("8.2", "Maintain effective communication"))
        ],
    }


def make_record(entries: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "format": "cpl-portable-record",
        "format_version": 1,
        "$schema": "https://cpl.example/v1/schemas/portable-record-1.json",
        "export": {
            "id": EXPORT_ID,
            "created_at": "2025-06-01T12:00:00Z",
            "selection": {"period": "all"},
            "issuer": {"name": "cpl (example)", "did": "did:web:cpl.example", "url": "https://cpl.example"},
        },
        "worker": {"id": _id("worker"), "display_name": WORKER_NAME, "email": "siobhan@example.org"},
        "period": {"from": "2023-04-01", "to": None},
        "registrations": registrations(),
        "frameworks": [framework()],
        "entries": entries,
    }
