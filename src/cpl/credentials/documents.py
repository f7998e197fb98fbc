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


def subject(subject_id: str, email: str) -> dict[str, Any]:
    """Who the credentials are about: ``id`` and ``identifier`` of the AchievementSubject / ClrSubject.

    ``id`` is the worker's own ``urn:uuid`` (random, kept on their account, the same in every
    export; it says nothing about them), which VC-JWT's ``sub`` repeats (OB 3.0 §8.2.4.2).
    ``identifier`` is a salted SHA-256 of their email (OB 3.0 IdentityObject), never the address
    itself: an employer who knows the address checks it, ``sha256(email + salt)`` equals the hash.
    """
    return {"id": subject_id, "identifier": _hashed_email(email)}


def _hashed_email(email: str) -> list[dict[str, Any]]:
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
    """OB 3.0 Alignment to a CASE CFItem: ``targetUrl`` is the item's CASE URI (the one cpl's
    ``/ims/case/v1p0/CFItems/{identifier}`` answers at, or the publisher's own), ``targetCode`` its
    ``humanCodingScheme``, ``targetFramework`` the CFDocument's title, ``targetType`` ``CFItem``."""
    framework = frameworks.get(competence["framework_id"], {})
    alignment = {
        "type": ["Alignment"],
        "targetName": competence["title"],
        "targetUrl": competence["item_uri"],
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


def attachment_url(base_url: str, attachment_id: str) -> str:
    """Where cpl serves the file: it answers only to those allowed to see it (the worker, with a token)."""
    return f"{base_url.rstrip('/')}/v1/attachments/{attachment_id}/content"


def evidence(attachment: dict[str, Any], base_url: str) -> dict[str, Any]:
    """An attachment as Evidence: its URL on cpl, where it is in an export bundle, and its SHA-256.

    VC Data Model 2.0 §4.4 wants every ``id`` to be a URL: the file's URL on cpl, which answers
    only to someone allowed to see the file, not a path inside the bundle. ``digestSRI``
    (VC 2.0 §5.3, the Subresource Integrity ``sha256-<base64>`` form) lets a verifier check the
    bytes with standard tools; the description repeats the hex digest and names the bundle path.
    """
    digest = bytes.fromhex(attachment["sha256"])
    path = "/".join(quote(part, safe="") for part in attachment["bundle_path"].split("/"))
    return {
        "id": attachment_url(base_url, attachment["id"]),
        "type": ["Evidence"],
        "name": attachment["filename"],
        "description": (
            f"{attachment['media_type']}, {attachment['size']} bytes, SHA-256 {attachment['sha256']}; "
            f"in an export bundle at {path}"
        ),
        "genre": "Attachment",
        "digestSRI": f"sha256-{b64encode(digest).decode('ascii')}",
    }


def entry_credential(
    record: dict[str, Any],
    entry: dict[str, Any],
    issuer: dict[str, Any],
    about: dict[str, Any],
    achieved: dict[str, Any],
) -> dict[str, Any]:
    """The OpenBadgeCredential for one verified entry (unsigned)."""
    latest = max(verification["verified_at"] for verification in entry["verifications"])
    subject = {
        "id": about["id"],
        "type": ["AchievementSubject"],
        "identifier": about["identifier"],
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
        credential["evidence"] = [evidence(attachment, issuer["url"]) for attachment in entry["attachments"]]
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
    about: dict[str, Any],
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
            "id": about["id"],
            "type": ["ClrSubject"],
            "identifier": about["identifier"],
            "verifiableCredential": credentials,
            "achievement": achievements,
            "association": associations(record["entries"]),
        },
        "credentialSchema": [{"id": CLR_SCHEMA, "type": SCHEMA_VALIDATOR}],
    }
