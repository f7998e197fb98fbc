"""What sharing tells other domains (see :mod:`cpl.kernel.events`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True)
class ShareMade:
    """The worker shared some of their entries: its viewers see them from now on."""

    owner: UUID
    share_id: UUID
    organisation: UUID
    #: The supervisor it was made with; None for a share with the organisation.
    supervisor: UUID | None


@dataclass(frozen=True)
class ShareRevoked:
    """The worker revoked a share: what it granted is no longer visible to its viewers.

    Whatever another domain shows those viewers of the worker's entries through it (a review
    waiting for a supervisor, a notification naming an entry) must go in the same transaction.
    """

    owner: UUID
    share_id: UUID
    organisation: UUID
    #: The supervisor it was made with; None for a share with the organisation.
    supervisor: UUID | None
    revoked_at: datetime
