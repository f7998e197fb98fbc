"""Operators made, and organisations vetted, the way an operator does it: with the ``cpl`` command."""

from __future__ import annotations

import subprocess
import sys

from anyio import to_thread
from httpx import AsyncClient

from cpl.settings import Settings
from tests.organisations.helpers import account


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
    """A new account made an operator with ``cpl operators grant``: its header and its ``/v1/me``."""
    headers, me = await account(client, name)
    granted = await cpl(settings, "operators", "grant", me["email"])
    assert granted.returncode == 0, granted.stderr
    assert f"{me['email']} is now an operator." in granted.stdout
    return headers, me


async def vet(client: AsyncClient, headers: dict, organisation_id: str, note: str = "Checked with NHS ODS.") -> dict:
    response = await client.post(f"/v1/operator/organisations/{organisation_id}/vet", json={"note": note}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()
