"""The statements of ``scheduled_run`` and ``node_beat`` (CONVENTIONS rule 14)."""

from __future__ import annotations

from datetime import datetime, timedelta

from cpl.kernel import clock
from cpl.scheduling.tables import NodeBeat, ScheduledRun


async def take_turn(name: str, every: timedelta, node_id: str) -> datetime | None:
    """Claim this period's run of ``name``; returns None when this node may run it now, else
    when it is next due (another node has this period's turn).

    The claim is one conditional update, atomic on SQLite and PostgreSQL alike, so of the
    nodes that try in one period exactly one wins.
    """
    now = clock.now()
    await ScheduledRun.insert(ScheduledRun(name=name, next_run_at=now)).on_conflict(action="DO NOTHING")
    won = (
        await ScheduledRun.update(
            {ScheduledRun.next_run_at: now + every, ScheduledRun.holder: node_id, ScheduledRun.ran_at: now}
        )
        .where((ScheduledRun.name == name) & (ScheduledRun.next_run_at <= now))
        .returning(ScheduledRun.name)
    )
    if won:
        return None
    row = await ScheduledRun.select(ScheduledRun.next_run_at).where(ScheduledRun.name == name).first()
    return row["next_run_at"] if row else now + every


async def beat(node_id: str) -> None:
    """Mark this node alive now (its row is made on its first beat)."""
    now = clock.now()
    seen = await NodeBeat.update({NodeBeat.seen_at: now}).where(NodeBeat.id == node_id).returning(NodeBeat.id)
    if not seen:
        await NodeBeat.insert(NodeBeat(id=node_id, started_at=now, seen_at=now)).on_conflict(action="DO NOTHING")


async def leave(node_id: str) -> None:
    """A node shutting down is no longer alive: what it still holds may be taken over at once."""
    await NodeBeat.delete().where(NodeBeat.id == node_id)


async def is_alive(node_id: str, lease: timedelta) -> bool:
    """Whether the node has beaten within ``lease`` (an unknown node is dead)."""
    row = await NodeBeat.select(NodeBeat.seen_at).where(NodeBeat.id == node_id).first()
    return row is not None and row["seen_at"] > clock.now() - lease


async def forget_dead_nodes(lease: timedelta) -> int:
    """Remove the rows of nodes dead for ten leases (killed, so they never left)."""
    rows = await NodeBeat.delete().where(NodeBeat.seen_at < clock.now() - lease * 10).returning(NodeBeat.id)
    return len(rows)
