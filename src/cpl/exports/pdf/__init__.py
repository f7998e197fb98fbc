"""The PDF portfolio of an export (issue 7): a cover, the entries, a verifiable footer on
every page, and cpl's own signature over the file's bytes (README.md)."""

from cpl.exports.pdf.render import render_portfolio
from cpl.exports.pdf.signature import PdfCheck, sign_pdf, verify_pdf

__all__ = ["PdfCheck", "render_portfolio", "sign_pdf", "verify_pdf"]
