"""The files an export is made of, written from the portable record (blocking: run in a worker thread)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from cpl.kernel.registers import verifier_line

JSON_TYPE = "application/json"
CSV_TYPE = "text/csv; charset=utf-8"
PDF_TYPE = "application/pdf"
ZIP_TYPE = "application/zip"
JWT_TYPE = "application/jwt"

#: What each format's file is called and its media type.
FILES = {
    "json": ("record.json", JSON_TYPE),
    "csv": ("entries.csv", CSV_TYPE),
    "pdf": ("portfolio.pdf", PDF_TYPE),
    "credential": ("clr.json", JSON_TYPE),
    "bundle": ("bundle.zip", ZIP_TYPE),
}
#: The credential export as a VC-JWT (``options.credential_form`` ``jwt``): RFC 7519 §10.3.1's type.
CREDENTIAL_JWT_FILE = ("clr.jwt", JWT_TYPE)
#: What an export made before options existed was made with.
DEFAULT_OPTIONS = {"bom": False, "credential_form": "json"}


def export_options(row: dict[str, Any]) -> dict[str, Any]:
    """The export's options, the defaults filled in (rows older than options have none)."""
    return {**DEFAULT_OPTIONS, **(row.get("options") or {})}


def file_of(export_format: str, options: dict[str, Any]) -> tuple[str, str]:
    """The name and media type of an export's file."""
    if export_format == "credential" and options.get("credential_form") == "jwt":
        return CREDENTIAL_JWT_FILE
    return FILES[export_format]


CSV_COLUMNS = (
    "id",
    "occurred_on",
    "ended_on",
    "kind",
    "title",
    "activity_type",
    "duration_minutes",
    "hours",
    "participatory",
    "description",
    "what_happened",
    "what_i_learned",
    "how_it_changes_practice",
    "tags",
    "competences",
    "attachments",
    "verified_by",
    "peer_discussion",
    "updated_at",
)
#: A cell starting with one of these is read as a formula by spreadsheets (OWASP "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def json_bytes(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_row(entry: dict[str, Any]) -> list[str]:
    reflection = entry["reflection"]
    peer = entry["peer_discussion"]
    values = {
        **entry,
        "hours": f"{entry['duration_minutes'] / 60:.2f}",
        "participatory": "yes" if entry["participatory"] else "no",
        "what_happened": reflection.get("what_happened", ""),
        "what_i_learned": reflection.get("what_i_learned", ""),
        "how_it_changes_practice": reflection.get("how_it_changes_practice", ""),
        "tags": "; ".join(entry["tags"]),
        "competences": "; ".join(f"{item['code']} {item['title']}".strip() for item in entry["competences"]),
        "attachments": "; ".join(item["filename"] for item in entry["attachments"]),
        "verified_by": "; ".join(
            f"{verifier_line(item)}, {item['verified_at'][:10]}" for item in entry["verifications"]
        ),
        "peer_discussion": peer["name"] if peer else "",
    }
    return [_cell(values[name]) for name in CSV_COLUMNS]


def write_csv(record: dict[str, Any], out: Path, *, bom: bool = False) -> None:
    """One row per entry (RFC 4180, UTF-8); cells that would run as formulas are neutralised with a quote.

    ``bom`` starts the file with a UTF-8 byte-order mark, which some spreadsheet programs need to
    read the file as UTF-8; without it (the default) scripts get plain UTF-8 (issue 17).
    """
    with out.open("w", newline="", encoding="utf-8-sig" if bom else "utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for entry in record["entries"]:
            writer.writerow(_csv_row(entry))


def write_json(document: Any, out: Path) -> None:
    out.write_bytes(json_bytes(document))


#: The media types an export's download may have (the OpenAPI document lists them).
EXPORT_MEDIA_TYPES = tuple(dict.fromkeys(media_type.split(";")[0] for _, media_type in FILES.values()))
