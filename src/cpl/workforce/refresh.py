"""Keeping the stored workforce lines up to date: only marked lines are judged again.

Why stored, and how they stay right (issue 15, item 7: 10,000 sharing workers):
- Each (organisation, worker) line is a row (:mod:`cpl.workforce.tables`), so the filters,
  counts and pages are indexed SQL (:mod:`cpl.workforce.store`), a restarted server or another
  node finds them as they were, and nothing is held per process.
- Every event that may change a line marks it in the transaction of the change
  (:mod:`cpl.workforce.marking`); a read first judges the organisation's marked lines — one
  worker's write costs judging that one worker — then answers from the rows.
- The date. A line's statuses depend on the day (a period's share of time left makes a rule
  ``at_risk``; rolling windows and fixed-date years move; ``due_within`` counts from the day).
  The requirements engine judges in Python, so the date-dependent part cannot be computed in SQL
  without a second engine; instead each line stores the day it was judged for (``valid_on``)
  and a line judged for another day counts as marked: it can never be shown stale as days pass.
  ``due_within`` is compared in SQL against each registration's stored due date. So that the first
  read of a new day does not judge the whole workforce, the scheduled refresh
  (:func:`refresh_all`, every ``workforce_refresh_interval`` on one node across all of them)
  judges every line not up to date for today, marked ones included; a read arriving first judges
  what is left itself. A read for another day (``as_of``) judges every line for that day and
  stores it (the stored lines hold one day), so the next read for today judges them back: costly
  (the whole workforce), and meant for an occasional look back.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from cpl.db import write_transaction
from cpl.kernel import clock
from cpl.workforce import store
from cpl.workforce.lines import Line, judged_lines
from cpl.workforce.schemas import STATUS_ORDER, encode_registrations

#: Lines judged together: their records are read in a few queries per batch, stored in one transaction.
BATCH = 200


def _stored(line: Line) -> store.Judged:
    return store.Judged(
        display_name=line.display_name,
        status_rank=STATUS_ORDER.index(line.status),
        shared_entries=line.shared_entries,
        last_activity=line.last_activity,
        registrations_json=encode_registrations(line.registrations),
        registrations=tuple(
            (shown.registration_id, shown.register, STATUS_ORDER.index(shown.status), shown.due_on)
            for shown in line.registrations
        ),
    )


async def judge_marked(organisation: UUID, as_of: date) -> int:
    """Judge (and store) every line of the organisation not up to date for ``as_of``; returns how
    many. The marks are read before the records, so a change made meanwhile leaves its line marked."""
    marked = await store.lines_to_judge(organisation, as_of)
    for start in range(0, len(marked), BATCH):
        batch = marked[start : start + BATCH]
        lines = await judged_lines(organisation, [worker for worker, _ in batch], as_of)
        async with write_transaction():
            for worker, mark in batch:  # by worker id: concurrent judges lock rows in one order
                line = lines.get(worker)
                if line is None:
                    await store.drop_line(organisation, worker, mark)
                else:
                    await store.save_line(organisation, worker, mark, as_of, _stored(line))
    return len(marked)


async def refresh_all() -> None:
    """Scheduled: judge every organisation's lines not up to date for today."""
    today = clock.now().date()
    for organisation in await store.organisations_to_judge(today):
        await judge_marked(organisation, today)
