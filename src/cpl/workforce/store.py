"""Every statement on the workforce's own tables (``workforce_line``, ``workforce_registration``).

Raw SQL (``src/cpl/README.md``): marking is ``INSERT … ON CONFLICT … DO UPDATE`` (reason 1); the
guarded updates and the filtered sets are read for 10,000 workers per request, by index, ids and
dates as text (no per-value converter on SQLite: reason 2, bench.workforce). Judging stores a batch
of lines in a few statements whatever its size (arrays through ``unnest`` on PostgreSQL, one
prepared statement; a ``VALUES`` list on SQLite). The filtered set joins ``supervision_link``
(organisations' table, read only) for the team filter.

Freshness: a line is up to date for day D when ``valid_on = D``. A mark clears ``valid_on`` and
grows ``marked``; judging stores what it computed together with the ``marked`` it read *before*
reading the record (``judged``), only if no later judgement is stored already, and leaves
``valid_on`` cleared when a mark came meanwhile — so a change is never lost to a judgement racing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any
from uuid import UUID

from cpl.db import Sql, on_postgres
from cpl.workforce.schemas import STATUS_ORDER
from cpl.workforce.tables import WorkforceLine, WorkforceRegistration

NO_REGISTRATION = STATUS_ORDER.index("no_registration")

_MARK_WORKER = Sql("UPDATE workforce_line SET marked = marked + 1, valid_on = NULL WHERE worker = {}")
_MARK_PAIR = Sql(
    "INSERT INTO workforce_line (organisation, worker, display_name, marked, judged, valid_on, status_rank, "
    "shared_entries, last_activity, registrations) VALUES ({}, {}, '', 1, 0, NULL, 4, 0, NULL, '[]') "
    "ON CONFLICT (organisation, worker) DO UPDATE SET marked = workforce_line.marked + 1, valid_on = NULL"
)
_TO_JUDGE = Sql(
    "SELECT CAST(worker AS TEXT) AS worker, marked FROM workforce_line WHERE organisation = {} AND valid_on IS NULL "
    "UNION ALL SELECT CAST(worker AS TEXT), marked FROM workforce_line WHERE organisation = {} AND valid_on < {} "
    "UNION ALL SELECT CAST(worker AS TEXT), marked FROM workforce_line WHERE organisation = {} AND valid_on > {}"
)
_ORGANISATIONS_TO_JUDGE = Sql(
    "SELECT DISTINCT CAST(organisation AS TEXT) AS organisation FROM workforce_line "
    "WHERE valid_on IS NULL OR valid_on <> {}"
)


@dataclass(frozen=True, slots=True)
class Judged:
    """What is stored of a line: the worst status's rank and the registrations shown (as JSON)."""

    display_name: str
    status_rank: int
    shared_entries: int
    last_activity: date | None
    registrations_json: str
    #: ``(registration id, register, status rank, due on)`` of each registration.
    registrations: tuple[tuple[UUID, str, int, date], ...]


async def mark_worker(worker: UUID) -> None:
    """The worker's record changed: every workforce line of theirs is to be judged again."""
    await _MARK_WORKER.rows(worker)


async def mark_line(organisation: UUID, worker: UUID) -> None:
    """The worker may have joined the organisation's workforce: their line there (made if need be)
    is to be judged again."""
    await _MARK_PAIR.rows(organisation, worker)


async def lines_to_judge(organisation: UUID, as_of: date) -> list[tuple[UUID, int]]:
    """``(worker, marked)`` of the organisation's lines not up to date for ``as_of``, by worker."""
    # Sorted here: an ORDER BY made SQLite walk the (organisation, worker) index, reading every line.
    rows = await _TO_JUDGE.rows(organisation, organisation, as_of, organisation, as_of)
    return sorted((UUID(row["worker"]), row["marked"]) for row in rows)


async def organisations_to_judge(as_of: date) -> list[UUID]:
    """Every organisation with a line not up to date for ``as_of`` (the scheduled refresh)."""
    return [UUID(row["organisation"]) for row in await _ORGANISATIONS_TO_JUDGE.rows(as_of)]


#: PostgreSQL: the batch's lines locked in worker order, so that two judges of one organisation (a
#: read and the scheduled refresh) never wait for each other's rows crosswise (a deadlock).
_LOCK = Sql(
    "SELECT 1 FROM workforce_line WHERE organisation = {} AND worker = ANY({}::uuid[]) ORDER BY worker FOR UPDATE"
)
#: A judgement is stored only where no later one is (``judged <= mark``), and ``valid_on`` stays
#: cleared where a mark came after the one read (``marked > mark``).
_SAVE_SET = (
    "SET display_name = v.display_name, status_rank = v.status_rank, shared_entries = v.shared_entries, "
    "last_activity = v.last_activity, registrations = v.registrations, judged = v.mark, "
    "valid_on = CASE WHEN l.marked = v.mark THEN {as_of} ELSE NULL END"
)
_SAVE_WHERE = (
    " WHERE l.organisation = {{}} AND l.worker = v.worker AND l.judged <= v.mark "
    "RETURNING CAST({returned} AS TEXT) AS worker"
)
_SAVE_COLUMNS = "worker, display_name, status_rank, shared_entries, last_activity, registrations, mark"
_SAVE_ON_POSTGRES = Sql(
    "UPDATE workforce_line l "
    + _SAVE_SET.format(as_of="{}::date")
    + " FROM unnest({}::uuid[], {}::text[], {}::int[], {}::int[], {}::date[], {}::text[], {}::int[])"
    + f" AS v({_SAVE_COLUMNS})"
    + _SAVE_WHERE.format(returned="l.worker")
)
_DROP_ON_POSTGRES = Sql(
    "DELETE FROM workforce_line l USING unnest({}::uuid[], {}::int[]) AS v(worker, mark) "
    "WHERE l.organisation = {} AND l.worker = v.worker AND l.marked = v.mark RETURNING CAST(l.worker AS TEXT) AS worker"
)
_CLEAR_ON_POSTGRES = Sql("DELETE FROM workforce_registration WHERE organisation = {} AND worker = ANY({}::uuid[])")
_INSERT_REGISTRATIONS = (
    "INSERT INTO workforce_registration (organisation, worker, registration, register, status_rank, due_on) "
)
_INSERT_ON_POSTGRES = Sql(
    _INSERT_REGISTRATIONS + "SELECT {}::uuid, * FROM unnest({}::uuid[], {}::uuid[], {}::text[], {}::int[], {}::date[])"
)


def _placeholders(rows: int, columns: int) -> str:
    """``({}, {}), ({}, {})``: the rows of a SQLite ``VALUES`` list."""
    row = "(" + ", ".join(["{}"] * columns) + ")"
    return ", ".join([row] * rows)


async def save_lines(
    organisation: UUID, as_of: date, lines: list[tuple[UUID, int, Judged]], dropped: list[tuple[UUID, int]]
) -> None:
    """Store, in the caller's transaction, each ``(worker, mark, line)`` judged from the record as it
    stood at that mark, unless a later judgement is stored already; and drop each ``(worker, mark)``'s
    line — the worker no longer shares with the organisation — unless marked since. A few
    statements for the whole batch; on PostgreSQL the lines are locked first, by worker id."""
    workers = sorted([worker for worker, _, _ in lines] + [worker for worker, _ in dropped])
    if not workers:
        return
    if on_postgres():
        await _LOCK.rows(organisation, workers)
    saved = await _save(organisation, as_of, lines) if lines else set()
    gone = await _drop(organisation, dropped) if dropped else []
    await _clear_registrations(organisation, sorted(saved) + gone)
    shown = [
        (worker, *registration) for worker, _, line in lines if worker in saved for registration in line.registrations
    ]
    if shown:
        await _insert_registrations(organisation, shown)


async def _save(organisation: UUID, as_of: date, lines: list[tuple[UUID, int, Judged]]) -> set[UUID]:
    """The workers whose lines were stored."""
    columns = [
        (
            worker,
            line.display_name,
            line.status_rank,
            line.shared_entries,
            line.last_activity,
            line.registrations_json,
            mark,
        )
        for worker, mark, line in lines
    ]
    if on_postgres():
        rows = await _SAVE_ON_POSTGRES.rows(
            as_of, *(list(column) for column in zip(*columns, strict=True)), organisation
        )
    else:
        values = _placeholders(len(columns), 7)
        set_, where = _SAVE_SET.format(as_of="{}"), _SAVE_WHERE.format(returned="worker")  # SQLite: unqualified
        statement = Sql(f"WITH v({_SAVE_COLUMNS}) AS (VALUES {values}) UPDATE workforce_line AS l {set_} FROM v{where}")
        rows = await statement.rows(*(value for row in columns for value in row), as_of, organisation)
    return {UUID(row["worker"]) for row in rows}


async def _drop(organisation: UUID, dropped: list[tuple[UUID, int]]) -> list[UUID]:
    """The workers whose lines were deleted."""
    if on_postgres():
        rows = await _DROP_ON_POSTGRES.rows(
            [worker for worker, _ in dropped], [mark for _, mark in dropped], organisation
        )
    else:
        workers = ", ".join(["{}"] * len(dropped))  # the pair index, not every line of the organisation
        statement = Sql(
            f"DELETE FROM workforce_line WHERE organisation = {{}} AND worker IN ({workers}) AND (worker, marked) IN "
            f"(VALUES {_placeholders(len(dropped), 2)}) RETURNING CAST(worker AS TEXT) AS worker"
        )
        pairs = (value for pair in dropped for value in pair)
        rows = await statement.rows(organisation, *(worker for worker, _ in dropped), *pairs)
    return [UUID(row["worker"]) for row in rows]


async def _clear_registrations(organisation: UUID, workers: list[UUID]) -> None:
    if not workers:
        return
    if on_postgres():
        await _CLEAR_ON_POSTGRES.rows(organisation, workers)
        return
    marks = ", ".join(["{}"] * len(workers))
    await Sql(f"DELETE FROM workforce_registration WHERE organisation = {{}} AND worker IN ({marks})").rows(
        organisation, *workers
    )


async def _insert_registrations(organisation: UUID, shown: list[tuple[UUID, UUID, str, int, date]]) -> None:
    """``(worker, registration, register, status rank, due on)`` of each registration stored."""
    if on_postgres():
        await _INSERT_ON_POSTGRES.rows(organisation, *(list(column) for column in zip(*shown, strict=True)))
        return
    statement = Sql(_INSERT_REGISTRATIONS + f"VALUES {_placeholders(len(shown), 6)}")
    await statement.rows(*(value for row in shown for value in (organisation, *row)))


async def erase_worker(worker: UUID) -> None:
    """Every line of the worker's, in every organisation (their account is erased)."""
    await WorkforceRegistration.delete().where(WorkforceRegistration.worker == worker)
    await WorkforceLine.delete().where(WorkforceLine.worker == worker)


@dataclass(frozen=True)
class Selection:
    """The filters as the statements take them (see :class:`cpl.workforce.service.Filters`)."""

    team: UUID | None = None
    register: str | None = None
    #: A status's rank in ``STATUS_ORDER``.
    status_rank: int | None = None
    #: Registrations due on or before this day.
    due_by: date | None = None

    @property
    def by_registration(self) -> bool:
        """Whether the set is of registrations kept (a worker's status: the worst kept) rather than
        of whole lines (no filter on registrations, or only ``no_registration``)."""
        return (
            self.register is not None
            or self.due_by is not None
            or (self.status_rank is not None and self.status_rank != NO_REGISTRATION)
        )


def _where(selection: Selection) -> tuple[str, list[str]]:
    """The filters as a ``WHERE`` clause on ``workforce_registration r`` (by registration) or
    ``workforce_line l``, and the names of its parameters in order."""
    alias = "r" if selection.by_registration else "l"
    where, names = [f"{alias}.organisation = {{}}"], ["organisation"]
    for name, test in (("register", "r.register = {}"), ("status_rank", f"{alias}.status_rank = {{}}")):
        if getattr(selection, name) is not None:
            where.append(test)
            names.append(name)
    if selection.due_by is not None:
        where.append("r.due_on <= {}")
        names.append("due_by")
    if selection.team is not None:
        where.append(
            f"{alias}.worker IN (SELECT s.worker FROM supervision_link s "
            "WHERE s.organisation = {} AND s.supervisor = {} AND s.ended_at IS NULL)"
        )
        names += ["organisation", "team"]
    return " WHERE " + " AND ".join(where), names


def _set(selection: Selection, kept: str = "") -> tuple[str, list[str]]:
    """The filtered set as ``(worker, status_rank)`` rows (with ``kept``: also the aggregate of the
    registrations kept), and the names of its parameters in order."""
    where, names = _where(selection)
    if selection.by_registration:
        columns = f"r.worker AS worker, MIN(r.status_rank) AS status_rank{kept}"
        return f"SELECT {columns} FROM workforce_registration r{where} GROUP BY r.worker", names
    return f"SELECT l.worker AS worker, l.status_rank AS status_rank FROM workforce_line l{where}", names


def _params(selection: Selection, organisation: UUID, names: list[str]) -> list[Any]:
    values = {"organisation": organisation, **{name: getattr(selection, name) for name in ("team", "register")}}
    values |= {"status_rank": selection.status_rank, "due_by": selection.due_by}
    return [values[name] for name in names]


@lru_cache(maxsize=64)
def _counts_statement(shape: Selection) -> tuple[Sql, list[str]]:
    text, names = _set(shape)
    return Sql(f"SELECT k.status_rank AS status_rank, COUNT(*) AS n FROM ({text}) k GROUP BY k.status_rank"), names


_LINE_COLUMNS = (
    "CAST(l.worker AS TEXT) AS worker, l.display_name, {rank} AS status_rank, l.shared_entries, "
    "CAST(l.last_activity AS TEXT) AS last_activity, l.registrations"
)
#: A row value, so that both databases seek the (organisation, display_name, worker) index to the
#: cursor (an ``OR`` of the two made SQLite read every line before it: the CSV read n² / 500 rows).
_AFTER = " AND (l.display_name, l.worker) > ({}, {})"


#: The ids of the registrations kept, comma-separated (the database's string aggregate).
_KEPT = {
    False: ", group_concat(CAST(r.registration AS TEXT), ',') AS kept",
    True: ", string_agg(CAST(r.registration AS TEXT), ',') AS kept",
}


@lru_cache(maxsize=128)
def _page_statement(shape: Selection, after: bool, postgres: bool) -> tuple[Sql, list[str]]:
    if shape.by_registration:
        text, names = _set(shape, _KEPT[postgres])
        columns = _LINE_COLUMNS.format(rank="k.status_rank") + ", k.kept"
        body = f"SELECT {columns} FROM ({text}) k JOIN workforce_line l "
        body += "ON l.organisation = {} AND l.worker = k.worker WHERE 1 = 1"
        names = [*names, "organisation"]
    else:
        where, names = _where(shape)
        body = f"SELECT {_LINE_COLUMNS.format(rank='l.status_rank')} FROM workforce_line l{where}"
    if after:
        body += _AFTER
    return Sql(body + " ORDER BY l.display_name, l.worker LIMIT {}"), names


def _shape(selection: Selection) -> Selection:
    """The selection with placeholders for values: one statement per combination of filters."""
    return Selection(
        team=selection.team and UUID(int=0),
        register=selection.register and "",
        status_rank=None if selection.status_rank is None else 0 if selection.by_registration else NO_REGISTRATION,
        due_by=selection.due_by and date.min,
    )


async def counts(organisation: UUID, selection: Selection) -> dict[str, int]:
    """Workers of the filtered set by status (every status, zeros included)."""
    statement, names = _counts_statement(_shape(selection))
    found = dict.fromkeys(STATUS_ORDER, 0)
    for row in await statement.rows(*_params(selection, organisation, names)):
        found[STATUS_ORDER[row["status_rank"]]] = row["n"]
    return found


async def page(
    organisation: UUID, selection: Selection, after: tuple[str, UUID] | None, limit: int
) -> list[dict[str, Any]]:
    """Up to ``limit`` lines of the filtered set after ``(name, worker id)``, by name then id; each
    row's ``status_rank`` is the worst of the registrations kept, and ``kept`` their ids
    (comma-separated; absent when every registration is kept)."""
    statement, names = _page_statement(_shape(selection), after is not None, on_postgres())
    params = _params(selection, organisation, names)
    if after is not None:
        params += [after[0], after[1]]
    return await statement.rows(*params, limit)


@lru_cache(maxsize=64)
def _ids_statement(shape: Selection) -> tuple[Sql, list[str]]:
    text, names = _set(shape)
    return Sql(f"SELECT CAST(k.worker AS TEXT) AS worker FROM ({text}) k"), names


async def worker_ids(organisation: UUID, selection: Selection) -> list[UUID]:
    """Every worker of the filtered set (the CSV's readers' audit record)."""
    statement, names = _ids_statement(_shape(selection))
    return [UUID(row["worker"]) for row in await statement.rows(*_params(selection, organisation, names))]
