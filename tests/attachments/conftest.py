"""An app on a fresh store of each kind (a local folder, then S3 over HTTP), and a worker with an entry."""

from __future__ import annotations

from typing import Any

import pytest

from cpl.settings import Settings
from cpl.storage import open_storage
from tests.factories import put_entry, sign_up


@pytest.fixture
def attachment_settings(make_settings, storage_overrides: dict[str, Any]) -> Settings:
    return make_settings(**storage_overrides)


@pytest.fixture
async def api(client_for, attachment_settings: Settings):
    return await client_for(attachment_settings)


@pytest.fixture
async def store(attachment_settings: Settings):
    """The same store the app writes to, to look at what is really there."""
    storage = open_storage(attachment_settings)
    yield storage
    await storage.close()


@pytest.fixture
async def worker(api) -> dict[str, Any]:
    headers = await sign_up(api)
    entry = await put_entry(api, headers)
    return {"headers": headers, "entry": entry["id"]}
