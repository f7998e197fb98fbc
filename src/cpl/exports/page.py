"""The verification page a person sees after scanning an export's QR code (plain HTML, no script)."""

from __future__ import annotations

from html import escape
from uuid import UUID

from cpl.exports.schemas import VerificationOut

VERDICTS = {
    "valid": ("Valid", "This export was issued by the service below and has not been withdrawn or replaced."),
    "revoked": ("Revoked", "The worker has withdrawn this export. Do not rely on it; ask them for a current one."),
    "superseded": ("Superseded", "A newer export of the same record has replaced this one; ask the worker for it."),
}
COLOURS = {"valid": "#0a6b2d", "revoked": "#a11", "superseded": "#8a5a00"}
STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222}"
    "dt{font-weight:600;margin-top:.6rem}dd{margin:0;word-break:break-all}.verdict{font-size:1.6rem;font-weight:700}"
)


def _page(title: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
        f'content="width=device-width,initial-scale=1"><title>{escape(title)}</title><style>{STYLE}</style></head>'
        f"<body>{body}</body></html>"
    )


def _row(label: str, value: object) -> str:
    return f"<dt>{escape(label)}</dt><dd>{escape('' if value is None else str(value))}</dd>"


def _verifiers(found: VerificationOut) -> str:
    """Who verified the entries, each organisation labelled as vetted or self-declared when they verified."""
    if found.verifiers is None:
        return "<h2>Verified by</h2><p>This export was made before this page listed verifiers; the file shows them.</p>"
    if not found.verifiers:
        return "<h2>Verified by</h2><p>Nobody has verified the entries this export carries.</p>"
    items = "".join(
        f"<li>{escape(item.verifier_name)}"
        f"{escape(', ' + item.verifier_role) if item.verifier_role else ''}"
        + (
            f" — {escape(item.organisation_name)} <strong>({escape(item.organisation_standing)})</strong>"
            if item.organisation_name
            else ""
        )
        + (f"; registration {escape(item.registration_shown_as)}" if item.registration_shown_as else "")
        + f"; {item.verifications} verification{'s' if item.verifications != 1 else ''}</li>"
        for item in found.verifiers
    )
    return (
        f"<h2>Verified by</h2><ul>{items}</ul><p>A self-declared organisation is one that no operator of this "
        "service has checked to be who it says it is. Registration numbers are as given, not checked with the "
        "register.</p>"
    )


def _pdf_signature(found: VerificationOut) -> str:
    """What a PDF reader shows for a portfolio (its PAdES signature, cpl.exports.pdf.signature)."""
    if found.format != "pdf":
        return ""
    return (
        "<p>The PDF itself is digitally signed (PAdES): your PDF reader's signature panel shows it signed by "
        f"{escape(found.issuer.name)} and not modified since. Its certificate is issued by the signing key "
        "above, so the reader names the signer but may call its identity unknown until you trust it; "
        "<code>cpl verify</code> checks it against the published keys.</p>"
    )


def verification_page(found: VerificationOut) -> str:
    verdict, explanation = VERDICTS[found.status]
    period = f"{found.period.starts_on or 'the start of the record'} to {found.period.ends_on or 'the export date'}"
    rows = "".join(
        [
            _row("Issuer", f"{found.issuer.name} ({found.issuer.url})"),
            _row("Issuer identifier", found.issuer.did),
            _row("Record of", found.subject),
            _row("Period", period),
            _row("Format", found.format),
            _row("SHA-256 of the file", found.sha256),
            _row("Size", f"{found.size:,} bytes"),
            _row("Signed at", found.signed_at.isoformat() if found.signed_at else ""),
            _row("Signing key", found.kid),
            _row("Export id", found.export_id),
        ]
    )
    body = (
        f'<h1>Export verification</h1><p class="verdict" style="color:{COLOURS[found.status]}">{verdict}</p>'
        f"<p>{escape(explanation)}</p><dl>{rows}</dl>{_verifiers(found)}{_pdf_signature(found)}"
        "<p>To check a copy you hold: its SHA-256 must equal the one above. Bundles, PDFs and credentials "
        f"can also be checked offline with <code>cpl verify FILE --keys jwks.json</code> "
        f'(keys: <a href="{escape(found.jwks_url)}">{escape(found.jwks_url)}</a>).</p>'
    )
    return _page(f"Export {found.export_id}: {verdict}", body)


def not_found_page(export_id: UUID) -> str:
    body = (
        '<h1>Export verification</h1><p class="verdict" style="color:#a11">Not found</p>'
        f"<p>No export with the id {escape(str(export_id))} was issued by this service. "
        "A document showing this id should not be relied on.</p>"
    )
    return _page("Export not found", body)


def withdrawn_page(export_id: UUID) -> str:
    body = (
        '<h1>Export verification</h1><p class="verdict" style="color:#a11">Withdrawn</p>'
        f"<p>The export {escape(str(export_id))} was issued by this service, then withdrawn: the worker's "
        "account has been erased. A document showing this id should not be relied on.</p>"
    )
    return _page("Export withdrawn", body)
