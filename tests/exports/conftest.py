from __future__ import annotations

from datetime import timedelta

import pytest

from cpl.settings import Settings


@pytest.fixture
def settings(make_settings) -> Settings:
    """Exports picked up at once, and a running job's heartbeat checked every few seconds."""
    return make_settings(export_poll_interval=timedelta(milliseconds=50), public_base_url="https://cpl.example.org")
