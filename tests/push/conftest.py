from __future__ import annotations

from datetime import timedelta

import pytest

from tests.push.endpoint import PushService


@pytest.fixture
def push_service():
    service = PushService()
    yield service
    service.close()


@pytest.fixture
def push_settings(make_settings):
    """The test push service is plain HTTP on 127.0.0.1: allowed by ``push_allow_insecure_endpoints`` only.
    The scheduled sweep runs at start only, so the tests say when undelivered notifications are pushed."""
    return make_settings(
        push_allow_insecure_endpoints=True,
        push_retry_delay_seconds=0.01,
        push_timeout_seconds=5,
        push_sweep_interval=timedelta(days=1),
    )
