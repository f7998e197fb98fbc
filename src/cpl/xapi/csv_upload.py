"""Completed training an admin uploads as CSV: the same suggestions as statements make.

The file is UTF-8 (a byte-order mark is fine), comma-separated, with a header row naming the
columns, in any order:

| column | required | what |
|---|---|---|
| ``email`` | yes | the worker's e-mail address, as their cpl account has it |
| ``title`` | yes | what was completed (one line, up to 200 characters) |
| ``date`` | yes | the day it was completed, ``YYYY-MM-DD`` (not after today) |
| ``duration_minutes`` | no | whole minutes, 0 to 60,000 (0 when empty) |
| ``activity_type`` | no | one of cpl's activity types (``course``, ``e_learning``…; ``other`` when empty) |
| ``description`` | no | free text |

All or nothing: a file with bad rows is refused (422) naming each bad row by its line number (an
unreadable file, or one missing a required column, 400),
and one naming anyone who is not a current member who agreed to the organisation's suggestions
is refused (403) naming those lines; nothing of it is stored. The same row uploaded again makes
no new suggestion (nor does one the worker rejected): rows are known by their content.
"""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import date, timedelta
from uuid import UUID

from cpl.db import write_transaction
from cpl.errors import InvalidInput, MalformedRequest
from cpl.evidence.schemas import EARLIEST_DATE, MAX_DURATION_MINUTES, ActivityType
from cpl.kernel import clock
from cpl.organisations.service import admin_organisation
from cpl.xapi import repository
from cpl.xapi.drafts import Draft, one_line, span
from cpl.xapi.ingest import NoConsent, suggestion_row

REQUIRED = ("email", "title", "date")
COLUMNS = (*REQUIRED, "duration_minutes", "activity_type", "description")
MAX_ROWS = 10_000


def _rows(text: str) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name not in COLUMNS]
    if missing or unknown:
        problems = [f"missing column {name}" for name in missing] + [f"unknown column {name}" for name in unknown]
        raise MalformedRequest(
            "line 1: " + "; ".join(problems) + f". The columns are {', '.join(COLUMNS)}.",
            errors=[{"field": "line 1", "message": problem} for problem in problems],
        )
    reader.fieldnames = header
    rows = [(reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}) for row in reader]
    if len(rows) > MAX_ROWS:
        raise MalformedRequest(f"At most {MAX_ROWS} rows a file; send the rest in another.")
    return [(line, row) for line, row in rows if any(row.values())]


def _draft(row: dict[str, str]) -> Draft:
    """A row's suggestion; ValueError saying what is wrong with it."""
    for name in REQUIRED:
        if not row.get(name):
            raise ValueError(f"{name} is empty")
    if "@" not in row["email"]:
        raise ValueError("email is not an e-mail address")
    try:
        day = date.fromisoformat(row["date"])
    except ValueError:
        raise ValueError("date must be written YYYY-MM-DD") from None
    if not EARLIEST_DATE <= day <= clock.now().date() + timedelta(days=1):
        raise ValueError(f"date must be between {EARLIEST_DATE} and today")
    minutes_text = row.get("duration_minutes") or "0"
    if not minutes_text.isdigit() or int(minutes_text) > MAX_DURATION_MINUTES:
        raise ValueError(f"duration_minutes must be a whole number from 0 to {MAX_DURATION_MINUTES}")
    activity = row.get("activity_type") or "other"
    if activity not in ActivityType.__members__:
        raise ValueError(f"activity_type must be one of {', '.join(ActivityType.__members__)}")
    title = one_line(row["title"])[:200]
    occurred, ended = span(day, int(minutes_text))
    return Draft(title, occurred, ended, int(minutes_text), activity, row.get("description", "")[:2000])


def _source_key(row: dict[str, str]) -> str:
    fields = [row.get(name, "") for name in COLUMNS]
    return "csv:" + hashlib.sha256("\x1f".join(fields).encode()).hexdigest()


async def upload(admin: UUID, organisation: UUID, text: str) -> dict[str, int]:
    """Suggest each row's training to its worker; how many suggestions were new and how many known."""
    await admin_organisation(admin, organisation)
    drafts, bad = [], []
    for line, row in _rows(text):
        try:
            drafts.append((line, row, _draft(row)))
        except ValueError as error:
            bad.append({"field": f"line {line}", "message": str(error)})
    if bad:
        raise InvalidInput("Some rows are invalid; see `errors`. Nothing was stored.", errors=bad)
    now = clock.now()
    async with write_transaction():
        members = await repository.consenting_members(organisation, [row["email"].lower() for _, row, _ in drafts])
        refused = [(line, row["email"]) for line, row, _ in drafts if row["email"].lower() not in members]
        if refused:
            raise NoConsent(
                "These rows name people who are not current members of the organisation who agreed to receive "
                "its suggestions; nothing was stored.",
                errors=[
                    {"field": f"line {line}", "message": f"{email} has not agreed to suggestions"}
                    for line, email in refused
                ],
            )
        rows = [
            suggestion_row(
                organisation, members[row["email"].lower()], _source_key(row), draft, {"line": line, **row}, now
            )
            for line, row, draft in drafts
        ]
        known = await repository.source_keys_of(organisation, [(r["owner"], r["source_key"]) for r in rows])
        fresh = list(
            {(r["owner"], r["source_key"]): r for r in rows if (r["owner"], r["source_key"]) not in known}.values()
        )
        await repository.insert_suggestions(fresh)
    return {"suggested": len(fresh), "already_suggested": len(rows) - len(fresh)}
