"""The PDF portfolio of an export (issue 7): a cover, the entries, a verifiable footer on
every page, and a PAdES signature (issue 17, README.md)."""

from cpl.exports.pdf.certificate import SigningIdentity, configured_identity, signing_identity
from cpl.exports.pdf.render import render_portfolio
from cpl.exports.pdf.signature import PdfCheck, sign_pdf, verify_pdf

__all__ = [
    "PdfCheck",
    "SigningIdentity",
    "configured_identity",
    "render_portfolio",
    "sign_pdf",
    "signing_identity",
    "verify_pdf",
]
