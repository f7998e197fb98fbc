"""cpl's own signature over a portfolio PDF's bytes, checkable offline against the
service's published key. It is not a PAdES signature: PDF readers do not show it (the QR
code on every page, leading to the verification page, is the human path). README.md in this
folder describes the scheme.

The scheme, after PDF's own ``/ByteRange`` (ISO 32000-1 §12.8.1):

- The portfolio's Info dictionary holds ``/CplExportId`` and ``/CplSignature`` with a
  blank value of exactly :data:`SIGNATURE_SIZE` characters.
- The digest is SHA-256 over the whole file except that value (the bytes between the
  brackets), i.e. over the byte range ``[0, start, end, length - end]``.
- ``{"byte_range", "export_id", "sha256"}`` (canonical JSON) is signed as a compact JWS,
  which is written into the value, padded with spaces, so no other byte moves.
- A file is valid when the JWS verifies, the signed byte range covers the whole file but the
  value, the digest matches, the signed export id is the file's, and the value holds nothing
  but the JWS and its padding.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

#: Room for the JWS: header, payload and Ed25519 signature take about 600 characters.
SIGNATURE_SIZE = 4096
BLANK_SIGNATURE = "0" * SIGNATURE_SIZE
_SLOT = re.compile(rb"/CplSignature\s*\(([A-Za-z0-9_.\- ]{%d})\)" % SIGNATURE_SIZE)
_EXPORT_ID = re.compile(rb"/CplExportId\s*\(([0-9A-Za-z-]{1,64})\)")
_JWS = re.compile(rb"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")


@dataclass
class PdfCheck:
    """The outcome of checking a portfolio PDF. ``export_id`` is the signed one, when a
    signature could be read; ``reasons`` says why the file is not valid."""

    valid: bool
    export_id: str | None
    reasons: list[str] = field(default_factory=list)


def _slot(data: bytes) -> tuple[int, int]:
    """Where the signature value lies: ``(start, end)`` of the bytes between the brackets."""
    matches = list(_SLOT.finditer(data))
    if len(matches) != 1:
        found = "no" if not matches else "more than one"
        raise ValueError(f"the file has {found} /CplSignature field of {SIGNATURE_SIZE} characters")
    return matches[0].start(1), matches[0].end(1)


def _export_id(data: bytes) -> str | None:
    match = _EXPORT_ID.search(data)
    return match.group(1).decode("ascii") if match else None


def _digest(data: bytes, start: int, end: int) -> str:
    digest = hashlib.sha256(memoryview(data)[:start])
    digest.update(memoryview(data)[end:])
    return digest.hexdigest()


def _payload(data: bytes, start: int, end: int) -> dict[str, object]:
    return {
        "byte_range": [0, start, end, len(data) - end],
        "export_id": _export_id(data),
        "sha256": _digest(data, start, end),
    }


def sign_pdf(path: Path, make_jws: Callable[[bytes], str]) -> None:
    """Sign a portfolio written by :func:`cpl.exports.pdf.render_portfolio`, in place.
    ``make_jws`` signs the payload bytes and returns a compact JWS."""
    data = path.read_bytes()
    start, end = _slot(data)
    if _export_id(data) is None:
        raise ValueError("the file has no /CplExportId")
    payload = json.dumps(_payload(data, start, end), sort_keys=True, separators=(",", ":"))
    token = make_jws(payload.encode()).encode("ascii")
    if not _JWS.fullmatch(token) or len(token) > SIGNATURE_SIZE:
        raise ValueError(f"make_jws must return a compact JWS of at most {SIGNATURE_SIZE} characters")
    with path.open("r+b") as pdf:
        pdf.seek(start)
        pdf.write(token.ljust(SIGNATURE_SIZE))


def _signed_claims(token: bytes, verify_jws: Callable[[str], bytes]) -> dict[str, object]:
    """The verified payload. Any failure of ``verify_jws`` (it raises on a bad signature, an
    unknown key, a malformed token) means the signature cannot be trusted."""
    if token == BLANK_SIGNATURE.encode():
        raise ValueError("the file is not signed")
    if not _JWS.fullmatch(token):
        raise ValueError("the signature field holds something other than a JWS")
    try:
        claims = json.loads(verify_jws(token.decode("ascii")))
    except Exception as error:  # fail closed, whatever the verifier raised
        raise ValueError(f"the signature does not verify: {error}") from error
    if not isinstance(claims, dict):
        raise ValueError("the signed payload is not a JSON object")
    return claims


def verify_pdf(path: Path, verify_jws: Callable[[str], bytes]) -> PdfCheck:
    """Check a signed portfolio offline. ``verify_jws`` returns the payload of a JWS whose
    signature it accepts and raises otherwise."""
    data = path.read_bytes()
    try:
        start, end = _slot(data)
        claims = _signed_claims(data[start:end].rstrip(b" "), verify_jws)
    except ValueError as error:
        return PdfCheck(valid=False, export_id=None, reasons=[str(error)])
    expected = _payload(data, start, end)
    reasons = []
    if claims.get("byte_range") != expected["byte_range"]:
        reasons.append("the signed byte range does not cover the whole file but the signature")
    if claims.get("sha256") != expected["sha256"]:
        reasons.append("the file has changed since it was signed")
    if claims.get("export_id") != expected["export_id"]:
        reasons.append("the signed export id is not the file's")
    signed_id = claims.get("export_id")
    return PdfCheck(valid=not reasons, export_id=signed_id if isinstance(signed_id, str) else None, reasons=reasons)
