"""Keeping the stored workforce lines up to date: only marked lines are judged again.

Why stored, and how they stay right (issue 15, item 7: 10,000 sharing workers):
- Each (organisation, worker) line is a row (:mod:`cpl.workforce.tables`), so the filters,
  counts and pages are indexed SQL (:mod:`cpl.workforce.store`), a restarted server or another
  node finds them as they were, and nothing is held per process.
- Every event that may change a line marks it in the transaction of the change
  (:mod:`cpl.workforce.marking`); a read first judges the organisation's marked lines — one
  worker's write costs judging that one worker — then answers from the rows.
- Lines are judged :data:`BATCH` workers at a time: the batch's shares, entries, links, peer
  discussions, registrations and names in a handful of statements (not one per worker), its lines
  stored in a few more. Each line is still judged from its own worker's entries that their shares
  with this organisation admit (:func:`cpl.workforce.lines.judged_lines`).
- Marks are read before records, and a judgement is stored with the mark it read only where no
  later one is stored; a line marked meanwhile stays to be judged (:mod:`cpl.workforce.store`).
  On PostgreSQL a batch's lines are locked in worker order first, so two judges of one
  organisation (a read and the scheduled refresh) never deadlock.
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

#: Lines judged together: their records are read in a handful of statements for the whole batch
#: (as reminders read theirs, ``cpl.reminders.due``) and stored in a few more, in one transaction.
BATCH = 500


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
        await judge_batch(organisation, marked[start : start + BATCH], as_of)
    return len(marked)


async def judge_batch(organisation: UUID, marked: list[tuple[UUID, int]], as_of: date) -> None:
    """Judge these ``(worker, mark)`` lines together, each from its own worker's shared record read
    after its mark, and store them in one transaction: a line marked again meanwhile stays marked,
    one judged at a later mark is left as it is, and a worker who no longer shares loses their line
    (unless marked since), whoever else is in the batch."""
    lines = await judged_lines(organisation, [worker for worker, _ in marked], as_of)
    judged = [(worker, mark, _stored(lines[worker])) for worker, mark in marked if worker in lines]
    dropped = [(worker, mark) for worker, mark in marked if worker not in lines]
    async with write_transaction():
        await store.save_lines(organisation, as_of, judged, dropped)


async def refresh_all() -> None:
    """Scheduled: judge every organisation's lines not up to date for today."""
    today = clock.now().date()
    for organisation in await store.organisations_to_judge(today):
        await judge_marked(organisation, today)
