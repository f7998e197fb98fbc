"""Recently read workers' entry summaries (:mod:`.summaries`), brought up to date by what changed since.

A worker's parsed entries are kept with the value of their evidence change counter
(``evidence_change_counter.last_seq``, bumped by every write to their entries, deletions
included, which also stamps the entry with that ``change_seq`` — the sync feed's order).
On the next request the counter is read first: unchanged, the entries are reused; moved
on, only the entries changed since are read, replacing their old versions (a deleted one
is dropped). Reading the counter before the entries means what is kept is never older than
the counter value it is filed under. Links, peer discussions, gap explanations and
registrations are small and read afresh every time.

The cache belongs to one app (``app.state``), holds at most ``size`` workers (the least
recently asked about leave first), and is only an optimisation: every answer equals what
reading everything afresh would give.
"""

from __future__ import annotations

import bisect
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from cpl.evidence.repository import change_counters
from cpl.evidence.summaries import Entry, read_changes, read_entries

STATE_KEY = "requirements_entry_cache"


def _by_end(entry: Entry) -> date:
    return entry.ends_on


@dataclass(frozen=True)
class Held:
    seq: int
    #: Entries ending before this were not read.
    since: date
    #: In order of their end dates.
    entries: list[Entry]


async def _counter(owner: UUID) -> int:
    return (await change_counters([owner]))[owner]


class EntryCache:
    def __init__(self, size: int) -> None:
        self._size = size
        self._held: OrderedDict[UUID, Held] = OrderedDict()

    async def _fresh(self, owner: UUID, since: date, seq: int | None = None) -> Held:
        seq = await _counter(owner) if seq is None else seq
        held = self._held.get(owner)
        if held is None or held.since > since:
            return Held(seq, since, await read_entries(owner, since))
        if held.seq == seq:
            return held
        changed, live = await read_changes(owner, held.seq)
        kept = [entry for entry in held.entries if entry.id not in changed]
        kept += [entry for entry in live if entry.ends_on >= held.since]
        return Held(seq, held.since, sorted(kept, key=_by_end))

    async def entries(self, owner: UUID, since: date, seq: int | None = None) -> list[Entry]:
        """The owner's live entries ending on or after ``since``, in order of their end dates
        (``seq``: their change counter, when the caller read it already)."""
        held = await self._fresh(owner, since, seq)
        if self._size > 0:
            self._held[owner] = held
            self._held.move_to_end(owner)
            while len(self._held) > self._size:
                self._held.popitem(last=False)
        return held.entries[bisect.bisect_left(held.entries, since, key=_by_end) :]


def entry_cache(state: Any, size: int, key: str = STATE_KEY) -> EntryCache:
    """The app's cache (under ``key``: one per use), made on first use."""
    cache = state.get(key)
    if cache is None:
        cache = EntryCache(size)
        state[key] = cache
    return cache
