"""Scheduled work that runs once across nodes, and each node's heartbeat.

Every server process runs one :func:`scheduling_lifespan` task. It beats for its node every
``node_heartbeat_interval`` and, for each registered :class:`ScheduledWork`, tries to take
the current period's turn (:func:`cpl.scheduling.leases.take_turn`); only the node that
takes it runs the work. Rules for the work:

- it must be safe to run again: a run that fails (or a node that dies mid-run) is not
  retried within the period, and a run longer than the period may overlap the next one;
- it runs on the event loop, so blocking work goes to a thread (CONVENTIONS rule 10);
- a failing run is logged and the loop carries on (a database hiccup must not end it).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

from cpl.database_faults import log_background_failure
from cpl.kernel import clock
from cpl.scheduling import leases
from cpl.settings import Settings

logger = logging.getLogger("cpl.scheduling")


@dataclass(frozen=True)
class ScheduledWork:
    """``run()`` once every ``every``, on one node of all those sharing the database."""

    name: str
    every: timedelta
    run: Callable[[], Awaitable[object]]


def _node_id() -> str:
    """``host:pid:random``: an operator (or a test) can tell which process a row names."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


@dataclass(frozen=True)
class Node:
    """This server process, as the other nodes see it in ``node_beat``."""

    id: str = field(default_factory=_node_id)


class Schedule:
    """The work one app registers (``schedule.add(ScheduledWork(...))`` in ``create_app``)."""

    def __init__(self) -> None:
        self.work: list[ScheduledWork] = []

    def add(self, work: ScheduledWork) -> None:
        if any(known.name == work.name for known in self.work):
            raise ValueError(f"scheduled work {work.name!r} is registered twice")
        self.work.append(work)


def dead_node_cleanup(settings: Settings) -> ScheduledWork:
    """Removing the rows of nodes long dead, once every ten leases across the nodes."""
    return ScheduledWork(
        "forget-dead-nodes", settings.node_lease * 10, partial(leases.forget_dead_nodes, settings.node_lease)
    )


async def _run_once(work: ScheduledWork) -> None:
    try:
        await work.run()
    except Exception:
        log_background_failure(logger, "scheduled work %s failed; it runs again next period", work.name)


async def run_due(work: Sequence[ScheduledWork], node: Node) -> float:
    """Run whichever work is due and this node's turn; returns the seconds until the next is due."""
    wait = 60.0
    for item in work:
        try:
            due = await leases.take_turn(item.name, item.every, node.id)
        except Exception:
            log_background_failure(logger, "could not reach the database for scheduled work %s", item.name)
            continue
        if due is None:
            await _run_once(item)
            due = clock.now() + item.every
        wait = min(wait, (due - clock.now()).total_seconds())
    return max(wait, 0.05)


async def _beat_forever(node: Node, every: float) -> None:
    while True:
        try:
            await leases.beat(node.id)
        except Exception:
            log_background_failure(logger, "node heartbeat could not reach the database")
        await asyncio.sleep(every)


async def _schedule_forever(work: Sequence[ScheduledWork], node: Node) -> None:
    while True:
        wait = await run_due(work, node)
        await asyncio.sleep(wait)


async def _stopped(tasks: list[asyncio.Task[None]]) -> None:
    """Cancel the tasks until they end: on Python 3.11 a cancellation that lands as a database
    call times out (``asyncio.wait_for`` inside asyncpg) can be swallowed, and the loop would go on."""
    while pending := [task for task in tasks if not task.done()]:
        for task in pending:
            task.cancel()
        await asyncio.wait(pending, timeout=1)


def scheduling_lifespan(schedule: Schedule, node: Node, settings: Settings):
    """The app's lifespan part: beat for this node and run the schedule; on stop, leave."""

    @asynccontextmanager
    async def lifespan(_: object) -> AsyncIterator[None]:
        await leases.beat(node.id)
        tasks = [
            asyncio.create_task(_beat_forever(node, settings.node_heartbeat_interval.total_seconds())),
            asyncio.create_task(_schedule_forever(schedule.work, node)),
        ]
        try:
            yield
        finally:
            await _stopped(tasks)
            with suppress(Exception):
                async with asyncio.timeout(settings.node_lease.total_seconds()):
                    await leases.leave(node.id)

    return lifespan
