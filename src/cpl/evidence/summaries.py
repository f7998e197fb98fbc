"""A worker's live entries summarised for counting: what requirements' rules, gap checks and
shares' filters read of evidence (never its text), thousands at a time."""

from __future__ import annotations

import operator
from collections.abc import Mapping
from datetime import date
from typing import Any, NamedTuple
from uuid import UUID

import msgspec

from cpl.evidence import repository
from cpl.evidence.schemas import Reflection

#: How an untouched reflection is stored (:func:`~cpl.evidence.repository.encode_json_column`
#: writes every one); anything else is parsed to see.
UNWRITTEN_REFLECTION = repository.encode_json_column(Reflection().model_dump(mode="json"))


class Entry(NamedTuple):
    #: The entry's id (a UUID, as text).
    id: str
    kind: str
    title: str
    occurred_on: date
    #: The day the entry ended: ``ended_on``, or ``occurred_on`` when it has none.
    ends_on: date
    minutes: int
    participatory: bool
    activity_type: str
    #: The worker wrote some part of the entry's structured reflection.
    reflected: bool


def _reflected(text: str) -> bool:
    if text == UNWRITTEN_REFLECTION:
        return False
    reflection = msgspec.json.decode(text)  # thousands per workforce batch: json.loads took 6 times as long
    return isinstance(reflection, dict) and any(isinstance(part, str) and part.strip() for part in reflection.values())


def _entry(row: Mapping[str, Any]) -> Entry:
    return Entry(
        row["id"],
        row["kind"],
        row["title"],
        date.fromisoformat(row["occurred_on"]),
        date.fromisoformat(row["ends_on"]),
        row["duration_minutes"],
        bool(row["participatory"]),
        row["activity_type"],
        _reflected(row["reflection"]),
    )


async def read_entries(owner: UUID, since: date) -> list[Entry]:
    """The owner's live entries ending on or after ``since``, in order of their end dates."""
    return (await read_entries_of([owner], since))[owner]


async def read_changes(owner: UUID, after_seq: int) -> tuple[set[str], list[Entry]]:
    """The ids of the owner's entries changed after ``after_seq`` (deleted ones included),
    and those of them still live."""
    rows = await repository.changed_summary_rows(owner, after_seq)
    return {row["id"] for row in rows}, [_entry(row) for row in rows if not row["deleted"]]


async def read_entries_of(owners: list[UUID], since: date) -> dict[UUID, list[Entry]]:
    """Each owner's live entries ending on or after ``since``, in order of their end dates."""
    by_text: dict[str, list[Entry]] = {str(owner): [] for owner in owners}  # no UUID made per row
    for row in await repository.live_summary_rows_of(owners, since):
        by_text[row["owner"]].append(_entry(row))
    return {owner: sorted(by_text[str(owner)], key=_ENDS_ON) for owner in owners}


_ENDS_ON = operator.attrgetter("ends_on")
