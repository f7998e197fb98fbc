"""The signed statement behind every export: which file (SHA-256, size), which export, when.

A compact JWS (EdDSA, the issuer's active key) over the canonical JSON
``{"export_id", "format", "sha256", "size", "signed_at"}``. It is kept on the export row and
shown on ``/verify/{export_id}``, so the digest a verifier compares a copy against is itself
checkable with the published JWKS — for every format, the CSV and JSON files included.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from uuid import UUID

from cpl.signing import Signer, sign_jws

STATEMENT_TYPE = "cpl-export+jws"


def statement(export_id: UUID, export_format: str, sha256: str, size: int, signed_at: datetime) -> bytes:
    body = {
        "export_id": str(export_id),
        "format": export_format,
        "sha256": sha256,
        "size": size,
        "signed_at": signed_at.isoformat().replace("+00:00", "Z"),
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def sign_statement(
    signer: Signer, export_id: UUID, export_format: str, sha256: str, size: int, signed_at: datetime
) -> str:
    return sign_jws(signer, statement(export_id, export_format, sha256, size, signed_at), STATEMENT_TYPE)


def read_statement(payload: bytes) -> dict[str, Any]:
    """The statement a verified JWS carried."""
    return json.loads(payload)
