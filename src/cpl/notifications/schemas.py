"""Bodies of the notifications API."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from cpl.kernel.schemas import Out


class NotificationOut(Out):
    id: UUID
    kind: str
    review_id: UUID | None
    message: str
    created_at: datetime
    read_at: datetime | None
