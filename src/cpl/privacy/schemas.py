"""Response bodies of "download my data"."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel


class DataExportOut(BaseModel):
    """``queued``, ``running``, ``done`` (downloadable until ``expires_at``), ``failed`` or ``expired``."""

    id: UUID
    status: str
    size: int
    error: str
    created_at: datetime
    finished_at: datetime | None
    expires_at: datetime | None
    download_url: str | None

    @classmethod
    def of(cls, row: dict[str, Any]) -> DataExportOut:
        done = row["status"] == "done"
        return cls(
            id=row["id"],
            status=row["status"],
            size=row["size"],
            error=row["error"],
            created_at=row["created_at"],
            finished_at=row["finished_at"],
            expires_at=row["expires_at"],
            download_url=f"/v1/me/data-export/{row['id']}/download" if done else None,
        )
