"""Schemathesis hooks for `.ci/schemathesis`: every request is made as the seeded demo worker.

Loaded through ``SCHEMATHESIS_HOOKS``. The worker's token comes from ``CPL_SCHEMATHESIS_TOKEN``.
``POST /v1/auth/logout`` and ``DELETE /v1/me/sessions/{session_id}`` (whose ids the stateful phase
finds in ``GET /v1/me/sessions``) would end that session for every later request, so they are
made with a session of their own: a new account signed up for the purpose.
"""

from __future__ import annotations

import os

import httpx
import schemathesis

SESSION_ENDING = {"POST /v1/auth/logout", "DELETE /v1/me/sessions/{session_id}"}


@schemathesis.auth()
class SeededWorker:
    def get(self, case, context):
        return os.environ["CPL_SCHEMATHESIS_TOKEN"]

    def set(self, case, data, context):
        token = _throwaway_token(case) if case.operation.label in SESSION_ENDING else data
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}


def _throwaway_token(case) -> str:
    """A second session of the demo worker, for an operation that ends the session it comes from."""
    base_url = case.operation.base_url or os.environ["CPL_SCHEMATHESIS_URL"]
    answer = httpx.post(
        f"{base_url}/v1/auth/login",
        json={"email": "demo@cpl.example", "password": "demo-password-123", "device_name": "schemathesis"},
    )
    answer.raise_for_status()
    return answer.json()["token"]
