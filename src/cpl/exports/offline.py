"""``cpl verify FILE``: checking an export offline, against the issuer's published keys (JWKS).

The kind of file is told from its bytes, not its name: a ZIP is a bundle (manifest signature,
every file, the container itself: :mod:`cpl.exports.bundle`), ``%PDF`` a portfolio (its PAdES
signature, checked with pyHanko's validator: :mod:`cpl.exports.pdf.signature`), a JSON
credential or a JWT a credential (its proof). A portable record or CSV carries no signature
of its own: with ``--statement`` (the ``signature`` shown on ``/verify/{export_id}``) its
SHA-256 is checked against the signed one.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509

from cpl.credentials import verify_credential
from cpl.exports.bundle import verify_bundle
from cpl.exports.formats import CSV_COLUMNS
from cpl.exports.pdf import verify_pdf
from cpl.exports.signing import read_statement
from cpl.signing import verify_jws


@dataclass
class Verdict:
    kind: str
    valid: bool
    export_id: str | None = None
    reasons: list[str] = field(default_factory=list)


def _statement(path: Path, token: str, jwks: dict) -> Verdict:
    verdict = Verdict("signed digest", False)
    try:
        signed = read_statement(verify_jws(token.strip(), jwks))
    except Exception as error:  # any failure of the signature means "not genuine"
        verdict.reasons.append(f"the statement does not verify: {error}")
        return verdict
    verdict.export_id = signed.get("export_id")
    if hashlib.sha256(path.read_bytes()).hexdigest() != signed.get("sha256"):
        verdict.reasons.append("the file's SHA-256 differs from the signed one")
    verdict.valid = not verdict.reasons
    return verdict


def _credential(text: str, jwks: dict) -> Verdict:
    document: dict | str = text.strip()
    if text.lstrip().startswith("{"):
        document = json.loads(text)
    result = verify_credential(document, jwks)
    return Verdict("credential", result.valid, reasons=list(result.reasons))


#: The first line of every CSV export.
CSV_HEADER = ",".join(CSV_COLUMNS)


def _unsigned(kind: str) -> Verdict:
    """A JSON or CSV export is signed by the statement on its /verify page, not inside the file."""
    return Verdict(
        kind,
        False,
        reasons=[
            f"a {kind} carries no signature itself: give --statement with the signature shown on its "
            "/verify page, or verify the bundle it came in"
        ],
    )


def verify_file(
    path: Path, jwks: dict, statement: str | None = None, roots: tuple[x509.Certificate, ...] = ()
) -> Verdict:
    """Tell what the file is and check it (blocking). ``roots``: certificates trusted to issue a
    PDF signing certificate, for a deployment signing with its own (a PDF signed with the
    issuer key's own certificate needs only ``jwks``)."""
    if statement:
        return _statement(path, statement, jwks)
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"PK\x03\x04"):
        check = verify_bundle(path, lambda token: verify_jws(token, jwks))
        return Verdict("bundle", check.valid, check.export_id, check.reasons)
    if head.startswith(b"%PDF"):
        pdf = verify_pdf(path, jwks, roots)
        kind = f"PDF portfolio signed by {pdf.signer}" if pdf.signer else "PDF portfolio"
        return Verdict(kind, pdf.valid, pdf.export_id, list(pdf.reasons))
    try:
        text = path.read_text(encoding="utf-8")
        looks_json = text.lstrip().startswith("{")
        if looks_json and json.loads(text).get("format") == "cpl-portable-record":
            return _unsigned("portable record")
        if text.lstrip("\ufeff").startswith(CSV_HEADER):
            return _unsigned("CSV export")
        return _credential(text, jwks)
    except (UnicodeDecodeError, ValueError, AttributeError) as error:
        return Verdict("unknown", False, reasons=[f"not a cpl bundle, PDF, credential or record: {error}"])
