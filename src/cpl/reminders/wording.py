"""What is still missing, in plain words, built from the pack's rule data and the progress figures.

Nothing here names a regulator: a rule's words come from its type and fields (``min_minutes``
over ``kinds``, ``participatory_only``, a ``unit``; ``min_count`` of ``kinds``; the titles of
``coverage`` items not yet covered; ``no_gap``; ``activity_mix``) and the figures of
:mod:`cpl.requirements.rules`, e.g. "12 h 30 min of participatory CPD and 2 reflective accounts".
"""

from __future__ import annotations

import functools
from datetime import date

from cpl.requirements.pack import ActivityMix, Coverage, MinCount, MinMinutes, NoGap
from cpl.requirements.schemas import RuleProgress

#: Entry kind → (one, several, what its minutes are of). Deployment kinds (``x-…``) read as their name.
KIND_WORDS = {
    "learning_activity": ("learning activity", "learning activities", "CPD"),
    "reflective_account": ("reflective account", "reflective accounts", "reflective writing"),
    "feedback": ("piece of feedback", "pieces of feedback", "feedback"),
    "practice_hours": ("practice hours record", "practice hours records", "practice"),
    "reflective_discussion": ("reflective discussion", "reflective discussions", "reflective discussion"),
}


def _kind_words(kind: str) -> tuple[str, str, str]:
    name = kind.removeprefix("x-").replace("-", " ").replace("_", " ")
    return KIND_WORDS.get(kind, (name, f"{name} entries", name))


def _either(words: list[str]) -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    distinct = list(dict.fromkeys(words))
    return distinct[0] if len(distinct) == 1 else f"{', '.join(distinct[:-1])} or {distinct[-1]}"


def duration_words(minutes: int) -> str:
    """``750`` → ``12 h 30 min``; ``60`` → ``1 h``; ``45`` → ``45 min``."""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    return f"{hours} h" if hours else f"{rest} min"


def _figure(number: float) -> str:
    return f"{number:g}"


def _min_minutes(rule: MinMinutes, progress: RuleProgress) -> str:
    subject = _either([_kind_words(kind)[2] for kind in rule.kinds])
    if rule.participatory_only:
        subject = f"participatory {subject}"
    if rule.unit is not None and progress.in_units is not None:
        remaining = progress.in_units.remaining
        name = rule.unit.name.replace("_", " ")
        return f"{_figure(remaining)} {name if remaining == 1 else name + 's'} of {subject}"
    return f"{duration_words(progress.remaining)} of {subject}"


def _min_count(rule: MinCount, progress: RuleProgress) -> str:
    count = progress.remaining
    words = _either([_kind_words(kind)[0 if count == 1 else 1] for kind in rule.kinds])
    return f"{count} {words}"


def _coverage(_: Coverage, progress: RuleProgress) -> str:
    missing = [item.title for item in progress.items or [] if not item.covered]
    if len(missing) == 1:
        return f"learning on {missing[0]}"
    return f"learning on {', '.join(missing[:-1])} and {missing[-1]}"


def _no_gap(_: NoGap, progress: RuleProgress) -> str:
    gaps = progress.remaining
    if gaps == 0:
        return "some learning soon (nothing recorded for a while)"
    return f"{gaps} gap{'' if gaps == 1 else 's'} in your learning to explain"


def _activity_mix(_: ActivityMix, progress: RuleProgress) -> str:
    more = progress.remaining
    return f"{more} more type{'' if more == 1 else 's'} of learning activity"


PHRASES = {
    MinMinutes: _min_minutes,
    MinCount: _min_count,
    Coverage: _coverage,
    NoGap: _no_gap,
    ActivityMix: _activity_mix,
}


def missing_words(pairs: list[tuple[object, RuleProgress]]) -> str:
    """Each unmet rule's phrase, joined: "a, b and c"."""
    phrases = [PHRASES[type(rule)](rule, progress) for rule, progress in pairs]
    if len(phrases) == 1:
        return phrases[0]
    return f"{', '.join(phrases[:-1])} and {phrases[-1]}"


@functools.lru_cache(maxsize=4096)  # a run words the same few hundred days 100,000 times (bench.reminders)
def day_words(day: date) -> str:
    return f"{day.day} {day.strftime('%B %Y')}"


def due_message(title: str, due_on: date, days_left: int, missing: str) -> str:
    when = "today" if days_left == 0 else f"in {days_left} day{'' if days_left == 1 else 's'}"
    return f"Your {title} is due on {day_words(due_on)} ({when}): {missing} to go."


def at_risk_message(title: str, rule_title: str, due_on: date, missing: str) -> str:
    return f"You are falling behind on “{rule_title}” for your {title}, due on {day_words(due_on)}: {missing} to go."
