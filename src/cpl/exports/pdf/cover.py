"""The portfolio's cover: who it belongs to, what it covers, who issued it, and where the
worker stands against each registration's requirement pack.

Progress is shown as the record carries it (``GET /v1/me/progress`` at export time, see
:class:`cpl.requirements.schemas.RuleProgress`): figures in the regulator's unit when the
pack has one (CORU's credits), hours for minutes, counts otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cpl.exports.pdf.document import BODY_SIZE, FAMILY, PortfolioPdf

STATUS = {"met": "Met", "on_track": "On track", "at_risk": "At risk", "not_met": "Not met"}
UNIT = {
    "minutes": "hours",
    "entries": "entries",
    "items": "topics",
    "activity_types": "activity types",
    "unexplained_gaps": "unexplained gaps",
}
_COLUMNS = ("Requirement", "Counts", "Required", "Achieved", "Remaining", "Due", "Status")
_WIDTHS = (52, 22, 20, 20, 20, 24, 22)
_ALIGN = ("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "LEFT", "LEFT")


def duration(minutes: int) -> str:
    """``95`` → ``1 h 35 min``."""
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d} min" if rest else f"{hours} h"


def moment(text: str) -> str:
    """``2025-03-05T10:30:00Z`` → ``2025-03-05 10:30 UTC``."""
    day, _, time = text.partition("T")
    return f"{day} {time[:5]} UTC" if time else day


def period_text(period: Mapping[str, Any]) -> str:
    start, end = period.get("from"), period.get("to")
    if not start and not end:
        return "all entries"
    return f"{start or 'the first entry'} to {end or 'the export date'}"


def _figures(rule: Mapping[str, Any]) -> tuple[str, str, str, str]:
    """The rule's unit and its required, achieved and remaining figures, as shown."""
    units = rule.get("in_units")
    if units:
        return (units["name"], *(f"{units[key]:g}" for key in ("required", "achieved", "remaining")))
    unit = rule["unit"]
    show = duration if unit == "minutes" else str
    return (UNIT.get(unit, unit), *(show(rule[key]) for key in ("required", "achieved", "remaining")))


def _progress_table(pdf: PortfolioPdf, rules: list[Mapping[str, Any]]) -> None:
    pdf.set_font(FAMILY, size=8)
    with pdf.table(
        col_widths=_WIDTHS, text_align=_ALIGN, line_height=4.2, padding=1, first_row_as_headings=True
    ) as table:
        table.row(_COLUMNS)
        for rule in rules:
            unit, required, achieved, remaining = _figures(rule)
            table.row(
                (
                    rule["title"],
                    unit,
                    required,
                    achieved,
                    remaining,
                    str(rule["due_on"]),
                    STATUS.get(rule["status"], rule["status"]),
                )
            )
    pdf.set_font(FAMILY, size=BODY_SIZE)


def _registration(pdf: PortfolioPdf, registration: Mapping[str, Any]) -> None:
    pdf.heading(
        f"{registration['register'].upper()} — {registration['part']}, "
        f"registration {registration['registration_number']}",
        size=10.5,
        gap=4,
    )
    pdf.field("Cycle", f"{registration['cycle_start']} to {registration['renewal_date']}")
    progress = registration.get("progress")
    if not progress:
        pdf.field("Requirement pack", registration.get("pack_edition") or "the edition in force")
        pdf.paragraph("Progress against the requirement pack was not included in this export.")
        return
    pack = progress["pack"]
    pdf.field("Requirement pack", f"{pack['title']}, edition {pack['edition']}")
    pdf.field("Overall", STATUS.get(progress["status"], progress["status"]))
    pdf.ln(1)
    _progress_table(pdf, progress["rules"])


def draw_cover(pdf: PortfolioPdf, record: Mapping[str, Any]) -> None:
    export, worker = record["export"], record["worker"]
    issuer = export["issuer"]
    pdf.add_page()
    pdf.set_font(FAMILY, size=10)
    pdf.cell(0, 6, "Continuing professional learning portfolio", new_x="LMARGIN", new_y="NEXT")
    pdf.heading(worker["display_name"], size=20, gap=1)
    pdf.ln(2)
    pdf.field("Email", worker["email"])
    pdf.field("Period", period_text(record["period"]))
    pdf.field("Entries", len(record["entries"]))
    pdf.field("Export", export["id"])
    pdf.field("Generated", moment(export["created_at"]))
    pdf.field("Issued by", f"{issuer['name']}, {issuer['url']} ({issuer['did']})")
    pdf.heading("Registrations and requirements", size=13, gap=5)
    if not record["registrations"]:
        pdf.paragraph("No registrations were included in this export.")
    for registration in record["registrations"]:
        _registration(pdf, registration)
