"""Date ranges in requests: everywhere ``from`` and ``to`` (both days included, either may be left
open), and one rule for a reversed range — refused with 422 naming ``to`` — in queries and bodies alike
(the list and share filters, coverage and exports)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar.params import QueryParameter

from cpl.errors import invalid_field

#: Why a range whose end comes before its start is refused.
REVERSED = "must not be before `from`"

FromQuery = Annotated[date | None, QueryParameter(name="from", description="On or after this day")]
ToQuery = Annotated[date | None, QueryParameter(name="to", description="On or before this day")]


def is_reversed(starts: date | None, ends: date | None) -> bool:
    return starts is not None and ends is not None and ends < starts


def check_range(starts: date | None, ends: date | None) -> None:
    """For query parameters: a reversed range is refused (``InvalidInput`` on ``to``)."""
    if is_reversed(starts, ends):
        raise invalid_field("to", REVERSED)


def range_in_order(starts: date | None, ends: date | None) -> None:
    """For a body's model validator: a reversed range is refused (``ValueError`` on ``to``)."""
    if is_reversed(starts, ends):
        raise ValueError(f"to {REVERSED}")
