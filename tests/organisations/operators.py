"""Operators made, and organisations vetted, the way an operator does it: with the ``cpl`` command."""

from __future__ import annotations

import subprocess
import sys
import uuid

from anyio import to_thread
from httpx import AsyncClient

from cpl.accounts.service import create_account
from cpl.settings import Settings
from tests.factories import PASSWORD


async def cpl(settings: Settings, *arguments: str) -> subprocess.CompletedProcess:
    """Run ``cpl …`` in its own process on the test's database (off the event loop, so the app keeps serving)."""
    env = {
        "CPL_DATABASE_URL": settings.resolved_database_url,
        "CPL_DATA_DIR": str(settings.data_dir),
        "PATH": "",
    }
    return await to_thread.run_sync(
        lambda: subprocess.run(
            [sys.executable, "-m", "cpl.cli", *arguments], env=env, capture_output=True, text=True, timeout=120
        )
    )


async def operator(client: AsyncClient, settings: Settings, name: str = "Olu Operator") -> tuple[dict, dict]:
    """A new operator account (made as ``cpl users create --admin`` makes one; ``cpl operators grant``
    is tested in ``test_vetting``): its header and its ``/v1/me``."""
    email = f"operator-{uuid.uuid4().hex[:8]}@example.org"
    await create_account(settings, email=email, password=PASSWORD, display_name=name, is_admin=True)
    login = await client.post("/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert login.status_code == 200, login.text
    headers = {"Authorization": f"Bearer {login.json()['token']}"}
    return headers, (await client.get("/v1/me", headers=headers)).json()


async def vet(client: AsyncClient, headers: dict, organisation_id: str, note: str = "Checked with NHS ODS.") -> dict:
    path = f"/v1/operator/organisations/{organisation_id}/vet"
    response = await client.post(path, json={"note": note}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()
