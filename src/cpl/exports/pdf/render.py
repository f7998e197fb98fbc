"""Rendering a portable record (format version 1, ``cpl.exports.portable_record``) as a PDF portfolio.

Blocking (fonts, Pillow, qrcode, file output): the caller runs it in a worker thread.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from cpl.exports.pdf.cover import draw_cover
from cpl.exports.pdf.document import PortfolioPdf
from cpl.exports.pdf.entries import draw_entry


def render_portfolio(record: dict, verify_url: str, out_path: Path, images: Mapping[str, Path]) -> None:
    """Write ``record`` as a portfolio to ``out_path``: a cover, then every entry in the
    record's order. ``images`` maps an image attachment's id to its file, for thumbnails;
    an attachment not in it is listed without one. Every page's footer names the export and
    carries a QR code of ``verify_url``. The file is ready for :func:`sign_pdf`."""
    pdf = PortfolioPdf(export_id=record["export"]["id"], verify_url=verify_url)
    _describe(pdf, record)
    draw_cover(pdf, record)
    frameworks = {framework["id"]: framework["title"] for framework in record["frameworks"]}
    if record["entries"]:
        pdf.add_page()
    for number, entry in enumerate(record["entries"], start=1):
        draw_entry(pdf, entry, number, frameworks, images)
    pdf.save(out_path)


def _describe(pdf: PortfolioPdf, record: Mapping[str, Any]) -> None:
    """The document's own metadata; its date is the export's, so a portfolio of the same
    record is the same file."""
    export, worker = record["export"], record["worker"]
    pdf.set_title(f"CPL portfolio of {worker['display_name']}")
    pdf.set_author(worker["display_name"])
    pdf.set_subject(f"Export {export['id']}")
    pdf.set_creator(export["issuer"]["name"])
    pdf.set_creation_date(datetime.fromisoformat(export["created_at"].replace("Z", "+00:00")))
