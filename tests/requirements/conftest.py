"""Fixtures for requirement-pack tests: a signed-in worker on a running app."""

from __future__ import annotations

import pytest

from tests.factories import sign_up


@pytest.fixture
async def worker(client) -> dict[str, str]:
    return await sign_up(client)
