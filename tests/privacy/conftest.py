"""An app on a fresh store of each kind (a local folder, then S3 over HTTP), with its jobs quick."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from cpl.settings import Settings
from cpl.storage import open_storage
from tests.exports.helpers import EXPORT_SETTINGS


@pytest.fixture
def privacy_settings(make_settings, storage_overrides: dict[str, Any]) -> Settings:
    return make_settings(**storage_overrides, **EXPORT_SETTINGS, privacy_job_interval=timedelta(milliseconds=100))


@pytest.fixture
async def api(client_for, privacy_settings: Settings):
    return await client_for(privacy_settings)


@pytest.fixture
async def store(privacy_settings: Settings):
    """The same store the app writes to, to look at what is really there."""
    storage = open_storage(privacy_settings)
    yield storage
    await storage.close()
