"""What a suggested entry says, from a statement: title, dates, duration, activity type.

Only statements whose verb says the worker completed, passed or attended something suggest an
entry (``statements.SUGGESTING_VERBS``), and not when their result says otherwise
(``result.completion`` or ``result.success`` false: a course failed or left unfinished is no
learning to record as done).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from cpl.xapi.statements import SUGGESTING_VERBS, Statement, duration_minutes

#: ADL and common activity types (http://adlnet.gov/expapi/activities/, the xAPI registry) as
#: cpl's activity types; any other type suggests ``other``, which the worker may change.
ACTIVITY_TYPES = {
    "http://adlnet.gov/expapi/activities/course": "course",
    "http://adlnet.gov/expapi/activities/module": "e_learning",
    "http://adlnet.gov/expapi/activities/lesson": "e_learning",
    "http://adlnet.gov/expapi/activities/assessment": "e_learning",
    "http://adlnet.gov/expapi/activities/simulation": "e_learning",
    "http://adlnet.gov/expapi/activities/media": "e_learning",
    "http://id.tincanapi.com/activitytype/elearning": "e_learning",
    "http://id.tincanapi.com/activitytype/webinar": "e_learning",
    "http://adlnet.gov/expapi/activities/meeting": "peer_learning",
    "http://id.tincanapi.com/activitytype/conference": "conference",
    "http://id.tincanapi.com/activitytype/book": "reading",
    "http://activitystrea.ms/schema/1.0/article": "reading",
}
#: Languages preferred for a title, in order; then any English, then the first given.
PREFERRED_LANGUAGES = ("en-GB", "en", "en-US")
MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True)
class Draft:
    """The content of a suggested entry."""

    title: str
    occurred_on: date
    ended_on: date | None
    duration_minutes: int
    activity_type: str
    description: str


def best_language(language_map: dict[str, Any]) -> str:
    """The text of a language map in the language cpl shows (English first)."""
    texts = {key: value for key, value in language_map.items() if isinstance(value, str) and value.strip()}
    for language in PREFERRED_LANGUAGES:
        if language in texts:
            return texts[language]
    english = [value for key, value in texts.items() if key.lower().startswith("en")]
    return (english or list(texts.values()) or [""])[0]


def one_line(text: str) -> str:
    """Titles are one line with no control characters (as an entry's title must be)."""
    return " ".join(text.split())


def _paragraphs(text: str) -> str:
    return "".join(char for char in text if char in "\n\t" or unicodedata.category(char) != "Cc")


def span(last_day: date, minutes: int) -> tuple[date, date | None]:
    """The days an entry of ``minutes`` finished on ``last_day`` covers: one, or as many as it takes."""
    days = max(1, -(-minutes // MINUTES_PER_DAY))
    return last_day - timedelta(days=days - 1), (last_day if days > 1 else None)


def suggests(statement: Statement) -> bool:
    result = statement.body.get("result") or {}
    return (
        statement.verb in SUGGESTING_VERBS
        and result.get("completion") is not False
        and result.get("success") is not False
    )


def draft_of(statement: Statement, stored: datetime) -> Draft:
    """The entry a suggesting statement proposes, dated by its timestamp (never after the day it
    was stored). A duration longer than a day spans the days before that date (an entry's duration
    fits in the days it covers)."""
    target = statement.body["object"]
    definition = target.get("definition") or {}
    result = statement.body.get("result") or {}
    minutes = duration_minutes(statement.position, result["duration"]) if "duration" in result else 0
    minutes = min(minutes, 60_000)
    occurred, ended = span(min((statement.timestamp or stored).date(), stored.date()), minutes)
    return Draft(
        title=one_line(best_language(definition.get("name") or {}) or target["id"])[:200].strip(),
        occurred_on=occurred,
        ended_on=ended,
        duration_minutes=minutes,
        activity_type=ACTIVITY_TYPES.get(str(definition.get("type", "")), "other"),
        description=_paragraphs(best_language(definition.get("description") or {}))[:2000],
    )
