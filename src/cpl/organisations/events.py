"""What organisations tell other domains (see :mod:`cpl.kernel.events`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True)
class MembershipEnded:
    """``account`` no longer holds any role in the organisation (they left, or an admin removed them)."""

    organisation: UUID
    account: UUID
    ended_at: datetime


@dataclass(frozen=True)
class SupervisionEnded:
    """An admin ended the link through which ``supervisor`` supervised ``worker`` in the organisation."""

    organisation: UUID
    supervisor: UUID
    worker: UUID
    ended_at: datetime
