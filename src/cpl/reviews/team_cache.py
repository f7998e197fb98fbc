"""Each supervisee's computed team-view progress, kept until anything it was computed from changes.

A supervisee's line in a supervisor's team view (how many entries they share, each
registration's and rule's status) is a function of: their evidence change counter (bumped by
every write to their entries, deletions included), the shares that grant the supervisor
something of theirs now (a share's filter and chosen entries never change; a revoked or
ended share, or an ended supervision link, drops out of that list), their registrations as
they stand, the ids of their framework links (a link is never edited, only deleted and made
anew), their peer discussions as they stand, and the day asked about. All of these are read
afresh, in the request's one snapshot, on every request; only when every one is as it was
is the kept line reused. So the cache is only an optimisation: every answer equals what
computing everything afresh would give.

The cache belongs to one app (``app.state``) and holds at most ``size`` (supervisor,
supervisee) lines, the least recently asked about leaving first; size 0 keeps nothing.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any
from uuid import UUID

from cpl.reviews.repository import team_link_ids, team_peer_discussions

STATE_KEY = "reviews_team_progress_cache"


class ProgressCache:
    def __init__(self, size: int) -> None:
        self._size = size
        self._held: OrderedDict[tuple[UUID, UUID], tuple[tuple, Any]] = OrderedDict()

    def get(self, supervisor: UUID, worker: UUID, key: tuple) -> Any | None:
        """The line kept for exactly these inputs (``key``), or None."""
        held = self._held.get((supervisor, worker))
        if held is None or held[0] != key:
            return None
        self._held.move_to_end((supervisor, worker))
        return held[1]

    def put(self, supervisor: UUID, worker: UUID, key: tuple, line: Any) -> None:
        if self._size <= 0:
            return
        self._held[(supervisor, worker)] = (key, line)
        self._held.move_to_end((supervisor, worker))
        while len(self._held) > self._size:
            self._held.popitem(last=False)


def progress_cache(state: Any, size: int) -> ProgressCache:
    """The app's cache, made on first use."""
    cache = state.get(STATE_KEY)
    if cache is None:
        cache = state[STATE_KEY] = ProgressCache(size)
    return cache


async def link_and_peer_state(supervisor: UUID, owners: list[UUID]) -> dict[UUID, tuple[frozenset, frozenset]]:
    """Each of these supervisees' framework link ids (any framework) and peer discussions as
    they stand, in two queries; ids are read as text (the same on both databases)."""
    found: dict[str, tuple[set, set]] = {str(owner): (set(), set()) for owner in owners}
    if not owners:
        return {}
    for row in await team_link_ids(supervisor):
        if row["owner"] in found:
            found[row["owner"]][0].add(row["id"])
    for row in await team_peer_discussions(supervisor):
        if row["owner"] in found:
            found[row["owner"]][1].add(tuple(row.values()))
    return {UUID(owner): (frozenset(links), frozenset(peers)) for owner, (links, peers) in found.items()}
