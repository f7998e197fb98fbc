"""Work shared out among the server processes on one database (issue 18): scheduled work that
runs once per period across nodes, and each node's heartbeat, by which the others know it died."""

from cpl.scheduling.leases import is_alive
from cpl.scheduling.runner import Node, Schedule, ScheduledWork, dead_node_cleanup, scheduling_lifespan

__all__ = ["Node", "Schedule", "ScheduledWork", "dead_node_cleanup", "is_alive", "scheduling_lifespan"]
