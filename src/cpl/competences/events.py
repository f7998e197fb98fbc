"""What the competences domain tells other domains (see :mod:`cpl.kernel.events`)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class EntryLinksChanged:
    """The worker changed an entry's links to framework items (coverage rules count them)."""

    owner: UUID
    entry_id: UUID
