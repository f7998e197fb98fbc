"""Servers started together on an empty database all come up, and the database is migrated once.

Three real ``cpl serve`` processes, on free ports, share one new database (a SQLite file, or
a new PostgreSQL database). Each applies migrations at start, under the migration lock.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.migrations.sql import fetch

START_SECONDS = 120
SERVERS = 3


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start(database_url: str, data_dir: Path, port: int, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "CPL_DATABASE_URL": database_url,
        "CPL_DATA_DIR": str(data_dir),
        "CPL_PORT": str(port),
        "PYTHONIOENCODING": "utf-8",
    }
    with log.open("wb") as output:
        return subprocess.Popen([sys.executable, "-m", "cpl.cli", "serve"], env=env, stdout=output, stderr=output)


async def _health(port: int, server: subprocess.Popen) -> int:
    """The status of ``/health`` once the server answers (or the exit code, negated, if it died)."""
    deadline = time.monotonic() + START_SECONDS
    async with httpx.AsyncClient(timeout=5) as client:
        while time.monotonic() < deadline:
            if server.poll() is not None:
                return -server.returncode
            try:
                return (await client.get(f"http://127.0.0.1:{port}/health")).status_code
            except httpx.TransportError:
                await asyncio.sleep(0.2)
    return 0


def _stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


async def test_three_servers_started_at_once_on_an_empty_database_all_come_up(empty_database_url, tmp_path):
    ports = [_free_port() for _ in range(SERVERS)]
    logs = [tmp_path / f"server-{port}.log" for port in ports]
    servers = [_start(empty_database_url, tmp_path / "data", port, log) for port, log in zip(ports, logs, strict=True)]
    try:
        statuses = await asyncio.gather(*(_health(port, server) for port, server in zip(ports, servers, strict=True)))
    finally:
        for server in servers:
            _stop(server)
    output = [log.read_text(errors="replace") for log in logs]
    assert statuses == [200] * SERVERS, "\n\n".join(output)

    migrations = await fetch(empty_database_url, "SELECT app_name, name FROM migration ORDER BY name")
    chain = sorted(name for (name,) in await fetch(empty_database_url, "SELECT DISTINCT name FROM migration"))
    assert migrations == [("cpl", name) for name in chain] and len(chain) >= 2
    migrated_by = [text for text in output if re.search(r"Running \d+ migrations?:", text)]
    assert len(migrated_by) == 1, "\n\n".join(output)
