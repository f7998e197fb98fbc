"""The service's clock."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """The current time, timezone-aware in UTC: every time cpl stores or compares is UTC."""
    return datetime.now(UTC)
