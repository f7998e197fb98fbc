"""Fixtures for competence tests: an operator and a worker on the same running app."""

from __future__ import annotations

import pytest

from tests.competences.helpers import operator
from tests.factories import sign_up


@pytest.fixture
async def admin(client, settings) -> dict[str, str]:
    return await operator(client, settings)


@pytest.fixture
async def worker(client) -> dict[str, str]:
    return await sign_up(client)
