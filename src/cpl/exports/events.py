"""What the exports domain tells other domains (see :mod:`cpl.kernel.events`)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class RecordImported:
    """A portable record was brought into the owner's account: entries, links, peer discussions and
    registrations may all have changed (published once, at the end of the import's transaction)."""

    owner: UUID
