"""The rows that let several server processes on one database share out scheduled work."""

from __future__ import annotations

from piccolo.columns import Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class ScheduledRun(Table, tablename="scheduled_run"):
    """One piece of scheduled work and when it is next due, across every node.

    A node runs the work only after moving ``next_run_at`` on by one period with a
    conditional update (``… WHERE name = ? AND next_run_at <= now``): of the nodes that try
    in the same period, exactly one changes the row, and only that one runs the work.
    """

    name = Varchar(length=100, primary_key=True)
    next_run_at = Timestamptz(default=TimestamptzNow())
    #: The node that ran it last, and when it started (for an operator reading the table).
    holder = Varchar(length=64, default="")
    ran_at = Timestamptz(null=True, default=None)


class NodeBeat(Table, tablename="node_beat"):
    """A running server process: its row's ``seen_at`` moves every few seconds while it lives.

    A node whose ``seen_at`` is older than ``node_lease`` is dead (killed, or cut off from the
    database); what it held (an ``Idempotency-Key`` in flight) may be taken over at once.
    """

    id = Varchar(length=64, primary_key=True)
    started_at = Timestamptz(default=TimestamptzNow())
    seen_at = Timestamptz(default=TimestamptzNow())
