"""How a duration setting is written: ``0``, plain seconds, or ISO 8601.

Operators write ``CPL_STORAGE_MAINTENANCE_INTERVAL=0`` (never) or ``=300`` far more often
than ``PT5M``; both are accepted, as is any ISO 8601 duration pydantic reads (``P14D``,
``PT1H30M``). Anything else is refused with a message that says what would be accepted.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from pydantic import TypeAdapter, ValidationError

_SECONDS = re.compile(r"^\s*\d+(\.\d+)?\s*$")
_ISO = TypeAdapter(timedelta)
EXPECTED = "a duration: 0, a number of seconds (300) or ISO 8601 (PT5M, P14D)"


def parse_duration(value: Any) -> timedelta:
    """``value`` as a duration; ValueError naming the accepted forms otherwise.

    A written value is never negative (the forms accepted have no sign); a ``timedelta`` given
    in code is taken as it is.
    """
    if isinstance(value, timedelta):
        duration = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        duration = timedelta(seconds=value)
    elif isinstance(value, str) and _SECONDS.match(value):
        duration = timedelta(seconds=float(value))
    elif isinstance(value, str) and value.strip().upper().startswith("P"):
        try:
            duration = _ISO.validate_python(value.strip().upper())
        except ValidationError:
            raise ValueError(f"{value!r} is not {EXPECTED}") from None
    else:
        raise ValueError(f"{value!r} is not {EXPECTED}")
    return duration
