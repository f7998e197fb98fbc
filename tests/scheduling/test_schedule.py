"""Scheduled work runs once per period across the nodes sharing a database (issue 18)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from cpl.kernel import clock
from cpl.scheduling import Node, Schedule, ScheduledWork, is_alive, leases
from cpl.scheduling.runner import run_due
from cpl.scheduling.tables import ScheduledRun


class Counter:
    def __init__(self) -> None:
        self.runs: list = []

    async def run(self) -> None:
        self.runs.append(clock.now())


class ClaimCounter(Counter):
    """Records when each run's turn was taken (the row's ``ran_at``, written by the winning claim)."""

    def __init__(self) -> None:
        super().__init__()
        self.enough = asyncio.Event()

    async def run(self) -> None:
        if len(self.runs) >= 3:
            self.enough.set()
        row = await ScheduledRun.select(ScheduledRun.ran_at).where(ScheduledRun.name == "often").first()
        self.runs.append(row["ran_at"])


async def test_of_nodes_trying_at_once_exactly_one_runs_the_work(client):
    counter = Counter()
    work = [ScheduledWork("count", timedelta(hours=1), counter.run)]
    await asyncio.gather(*(run_due(work, Node()) for _ in range(8)))
    assert len(counter.runs) == 1
    assert await ScheduledRun.count().where(ScheduledRun.name == "count") == 1


async def test_two_apps_on_one_database_run_it_once_per_period(client_for, settings):
    """Two apps (two nodes) share the database; each period's run happens on one of them only."""
    counter = ClaimCounter()
    every = timedelta(milliseconds=300)
    first, second = await client_for(settings), await client_for(settings)
    nodes = [client._transport.app.state.node for client in (first, second)]
    assert nodes[0] != nodes[1] and all([await is_alive(node.id, settings.node_lease) for node in nodes])
    work = [ScheduledWork("often", every, counter.run)]
    loops = [asyncio.create_task(_keep_running(work, node)) for node in nodes]
    await counter.enough.wait()
    for loop in loops:
        loop.cancel()
    await asyncio.gather(*loops, return_exceptions=True)
    turns = sorted(counter.runs)
    gaps = [later - earlier for earlier, later in zip(turns, turns[1:], strict=False)]
    assert all(gap >= every for gap in gaps), gaps


async def _keep_running(work: list[ScheduledWork], node: Node) -> None:
    while True:
        wait = await run_due(work, node)
        await asyncio.sleep(wait)


async def test_failing_work_is_logged_and_the_schedule_carries_on(client, caplog):
    async def broken() -> None:
        raise RuntimeError("disk full")

    counter = Counter()
    work = [ScheduledWork("broken", timedelta(hours=1), broken), ScheduledWork("fine", timedelta(hours=1), counter.run)]
    await run_due(work, Node())
    assert len(counter.runs) == 1
    assert "scheduled work broken failed" in caplog.text


def test_a_name_is_registered_once():
    schedule = Schedule()
    schedule.add(ScheduledWork("once", timedelta(minutes=1), Counter().run))
    with pytest.raises(ValueError, match="registered twice"):
        schedule.add(ScheduledWork("once", timedelta(minutes=5), Counter().run))


async def test_a_node_that_stopped_beating_is_dead_and_one_that_left_is_unknown(client, settings):
    node = Node()
    await leases.beat(node.id)
    assert await is_alive(node.id, settings.node_lease)
    assert not await is_alive(node.id, timedelta(0))
    await leases.leave(node.id)
    assert not await is_alive(node.id, settings.node_lease)
    assert not await is_alive(Node().id, settings.node_lease)
