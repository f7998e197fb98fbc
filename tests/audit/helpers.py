"""Running ``cpl audit …`` as a real process on the test database, and filling the log."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from tests.organisations.helpers import Team, share, team

CPL = str(Path(sys.executable).parent / "cpl")


def environment(settings) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("CPL_")}
    env["CPL_DATABASE_URL"] = settings.resolved_database_url
    env["CPL_DATA_DIR"] = str(settings.data_dir)
    return env


async def cpl(settings, *args: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        CPL, *args, env=environment(settings), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await process.communicate()
    return process.returncode, out.decode(), err.decode()


async def viewed_team(client, views: int = 3) -> Team:
    """A team whose supervisor opened the worker's shared entry ``views`` times (a share, then the reads)."""
    t = await team(client)
    await share(client, t.worker, t.organisation_id, supervisor_id=t.supervisor_id, entry_ids=[t.entry["id"]])
    for _ in range(views):
        assert (await client.get(f"/v1/shared/evidence/{t.entry['id']}", headers=t.supervisor)).status_code == 200
    return t
