"""What the evidence log tells other domains (see :mod:`cpl.kernel.events`)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class EntryDeleted:
    """The owner deleted the entry: its content is erased and a tombstone stays for sync.

    Whatever another domain holds about the entry that the worker wrote (files, notes, a
    peer's details) must go in the same transaction.
    """

    owner: UUID
    entry_id: UUID
