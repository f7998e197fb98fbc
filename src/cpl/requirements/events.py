"""What the requirements domain tells other domains (see :mod:`cpl.kernel.events`)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class RegistrationChanged:
    """The worker recorded, replaced or deleted a registration: what the rules judge of them may change."""

    owner: UUID
    registration_id: UUID


@dataclass(frozen=True)
class PeerDiscussionChanged:
    """The worker recorded, replaced or deleted an entry's peer discussion (rules may count it)."""

    owner: UUID
    entry_id: UUID
