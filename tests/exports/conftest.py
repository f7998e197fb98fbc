from __future__ import annotations

import pytest

from cpl.settings import Settings
from tests.exports.helpers import EXPORT_SETTINGS


@pytest.fixture
def settings(make_settings) -> Settings:
    return make_settings(**EXPORT_SETTINGS)
