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
class EntriesSaved:
    """The owner logged new entries or changed entries' content: one ``PUT``, ``POST`` or
    ``PATCH``, or a batch (an offline queue's, all of one owner), told once.

    What others judge of the record may change with it (the workforce view); what another domain
    offered under a created id (a suggested entry, whose id the app gives the entry it accepts,
    saying so: ``accepting``) is taken up; what another domain holds bound to a changed entry's content as it stood (a
    supervisor's verification) may no longer hold. All in the same transaction.
    """

    owner: UUID
    #: Ids of the entries created, in the order written.
    created: tuple[UUID, ...] = ()
    #: Ids of the entries whose content changed (each has a new version).
    changed: tuple[UUID, ...] = ()
    #: Of ``created``, those the app wrote to accept the suggestion with the same id (it says so).
    accepting: tuple[UUID, ...] = ()
