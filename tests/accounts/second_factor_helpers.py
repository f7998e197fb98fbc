"""Codes for the second-factor tests, computed with pyotp from the secret the API returned.

Each account's codes are taken from consecutive time steps (``step_code(secret, 0)``, then ``1``):
the service accepts the current step and one either side, once each, so two codes per account
and test are always accepted whenever the test runs, even across a step boundary.
"""

from __future__ import annotations

import time

import pyotp
from httpx import AsyncClient

from tests.factories import PASSWORD


def step_code(secret: str, steps_ahead: int) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


async def login(client: AsyncClient, email: str, headers: dict | None = None):
    return await client.post(
        "/v1/auth/login", json={"email": email, "password": PASSWORD, "device_name": "phone"}, headers=headers
    )


async def second_step(client: AsyncClient, challenge: str, headers: dict | None = None, **proof: str):
    return await client.post("/v1/auth/login/second-factor", json={"challenge": challenge, **proof}, headers=headers)


def bearer(response) -> dict[str, str]:
    return {"Authorization": f"Bearer {response.json()['token']}"}
