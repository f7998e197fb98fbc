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


@dataclass(frozen=True)
class EntryCreated:
    """The owner logged a new entry (``POST``, ``PUT`` with their own id, a batch).

    What others judge of the record may change with it (the workforce view); what another domain
    offered under that id (a suggested entry, whose id the app gives the entry it accepts) is
    taken up in the same transaction.
    """

    owner: UUID
    entry_id: UUID


@dataclass(frozen=True)
class EntryChanged:
    """The owner changed the entry's content (it has a new version).

    What another domain holds bound to the content as it stood (a supervisor's verification)
    may no longer hold; whoever must be told is told in the same transaction.
    """

    owner: UUID
    entry_id: UUID
