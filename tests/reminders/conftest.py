"""The reminder tests run reminders themselves at the times they choose: the server's own schedule
is off here (for every settings a test makes), or its first run at start-up could send a test's
reminder at the real time first."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cpl.settings import Settings


@pytest.fixture
def make_settings(make_settings):
    def make(**overrides) -> Settings:
        return make_settings(**{"reminders_interval": timedelta(0), **overrides})

    return make


@pytest.fixture
def settings(make_settings) -> Settings:
    return make_settings()
