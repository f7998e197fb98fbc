"""Unsigned Open Badges 3.0 and CLR 2.0 documents built from a portable record (RECORD.md).

Open Badges 3.0 (https://www.imsglobal.org/spec/ob/v3p0/) and CLR 2.0
(https://www.imsglobal.org/spec/clr/v2p0/), both on the W3C VC 2.0 data model: one
``OpenBadgeCredential`` per entry that someone verified, whose ``Achievement`` is the
entry, aligned to the framework items it maps to, with its attachments as evidence; and
one ``ClrCredential`` gathering them.
"""

from __future__ import annotations

import hashlib
import secrets
from base64 import b64encode
from typing import Any
from urllib.parse import quote
from uuid import UUID, uuid5

from cpl.kernel.registers import verifier_line

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CLR_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
OB_SCHEMA = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
CLR_SCHEMA = "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json"
SCHEMA_VALIDATOR = "1EdTechJsonSchemaValidator2019"


def urn(export_id: str, name: str) -> str:
    """A stable ``urn:uuid`` for a document of this export: issuing the same export twice gives the same ids."""
    return f"urn:uuid:{uuid5(UUID(export_id), name)}"


def recipient(email: str) -> list[dict[str, Any]]:
    """The worker as a salted SHA-256 of their email (OB 3.0 IdentityObject), never the address itself.

    An employer who knows the address checks it: ``sha256(email + salt)`` equals the hash.
    """
    salt = secrets.token_hex(16)
    digest = hashlib.sha256((email + salt).encode()).hexdigest()
    return [
        {
            "type": "IdentityObject",
            "identityHash": f"sha256${digest}",
            "identityType": "emailAddress",
            "hashed": True,
            "salt": salt,
        }
    ]


def _verified_by(verification: dict[str, Any]) -> str:
    """One verifier's statement, inside the signed criteria: an organisation no operator had vetted
    when it verified is named a "self-declared organisation" here, in the signed data itself."""
    return (
        f"Verified by {verifier_line(verification)} on {verification['verified_at'][:10]}: {verification['statement']}"
    )


def _alignment(competence: dict[str, Any], frameworks: dict[str, dict[str, Any]]) -> dict[str, Any]:
    framework = frameworks.get(competence["framework_id"], {})
    alignment = {
        "type": ["Alignment"],
        "targetName": competence["title"],
        "targetUrl": competence.get("item_uri") or f"urn:uuid:{competence['item_id']}",
        "targetCode": competence["code"],
        "targetType": "CFItem",
    }
    if framework.get("title"):
        alignment["targetFramework"] = framework["title"]
    return alignment


def achievement(entry: dict[str, Any], frameworks: dict[str, dict[str, Any]], issuer_id: str) -> dict[str, Any]:
    """The entry as an Achievement; its criteria are the verifiers' statements (or say there are none)."""
    statements = [_verified_by(verification) for verification in entry["verifications"]]
    return {
        "id": f"urn:uuid:{entry['id']}",
        "type": ["Achievement"],
        "name": entry["title"],
        "description": entry.get("description") or entry["title"],
        "criteria": {"narrative": "\n\n".join(statements) or "Recorded by the worker; not verified by anyone."},
        "alignment": [_alignment(competence, frameworks) for competence in entry["competences"]],
        "tag": list(entry.get("tags") or []),
        "creator": {"id": issuer_id, "type": ["Profile"]},
    }


def evidence(attachment: dict[str, Any]) -> dict[str, Any]:
    """An attachment as Evidence: where it is in the export bundle, and its SHA-256.

    ``digestSRI`` (W3C VC 2.0 §5.3, the Subresource Integrity ``sha256-<base64>`` form) lets a
    verifier check the file's bytes with standard tools; the description repeats the hex digest.
    """
    digest = bytes.fromhex(attachment["sha256"])
    path = "/".join(quote(part, safe="") for part in attachment["bundle_path"].split("/"))
    return {
        "id": path,
        "type": ["Evidence"],
        "name": attachment["filename"],
        "description": f"{attachment['media_type']}, {attachment['size']} bytes, SHA-256 {attachment['sha256']}",
        "genre": "Attachment",
        "digestSRI": f"sha256-{b64encode(digest).decode('ascii')}",
    }


def entry_credential(
    record: dict[str, Any],
    entry: dict[str, Any],
    issuer: dict[str, Any],
    subject_identifier: list[dict[str, Any]],
    achieved: dict[str, Any],
) -> dict[str, Any]:
    """The OpenBadgeCredential for one verified entry (unsigned)."""
    latest = max(verification["verified_at"] for verification in entry["verifications"])
    subject = {
        "type": ["AchievementSubject"],
        "identifier": subject_identifier,
        "achievement": achieved,
        "activityStartDate": f"{entry['occurred_on']}T00:00:00Z",
        "activityEndDate": f"{entry.get('ended_on') or entry['occurred_on']}T00:00:00Z",
    }
    credential = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": urn(record["export"]["id"], f"credential/{entry['id']}"),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": entry["title"],
        "issuer": issuer,
        "validFrom": record["export"]["created_at"],
        "awardedDate": latest,
        "credentialSubject": subject,
        "credentialSchema": [{"id": OB_SCHEMA, "type": SCHEMA_VALIDATOR}],
    }
    if entry["attachments"]:
        credential["evidence"] = [evidence(attachment) for attachment in entry["attachments"]]
    return credential


def associations(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``isRelatedTo`` from each later achievement to the first one aligned to the same framework item.

    CLR 2.0 Association links achievements of the record; entries evidencing the same
    competence are related. One link per (later entry, item) keeps it linear in size.
    """
    first_for_item: dict[str, str] = {}
    links: dict[tuple[str, str], dict[str, Any]] = {}
    for entry in entries:
        source = f"urn:uuid:{entry['id']}"
        for competence in entry["competences"]:
            target = first_for_item.setdefault(competence["item_id"], source)
            if target != source:
                links[(source, target)] = {
                    "type": "Association",
                    "associationType": "isRelatedTo",
                    "sourceId": source,
                    "targetId": target,
                }
    return list(links.values())


def clr_credential(
    record: dict[str, Any],
    issuer: dict[str, Any],
    subject_identifier: list[dict[str, Any]],
    achievements: list[dict[str, Any]],
    credentials: list[dict[str, Any]],
) -> dict[str, Any]:
    """The ClrCredential (unsigned): every entry as an achievement, the verified ones as credentials."""
    worker, period = record["worker"], record["period"]
    span = f"{period.get('from') or 'the start'} to {period.get('to') or 'the export'}"
    return {
        "@context": [VC_CONTEXT, CLR_CONTEXT, OB_CONTEXT],
        "id": urn(record["export"]["id"], "clr"),
        "type": ["VerifiableCredential", "ClrCredential"],
        "name": f"Continuous professional learning record of {worker['display_name']}",
        "description": f"{len(achievements)} entries from {span}; {len(credentials)} verified.",
        "issuer": issuer,
        "validFrom": record["export"]["created_at"],
        "credentialSubject": {
            "type": ["ClrSubject"],
            "identifier": subject_identifier,
            "verifiableCredential": credentials,
            "achievement": achievements,
            "association": associations(record["entries"]),
        },
        "credentialSchema": [{"id": CLR_SCHEMA, "type": SCHEMA_VALIDATOR}],
    }
