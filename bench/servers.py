"""The processes under test: ``cpl serve`` on SQLite or PostgreSQL, and the bare app.

Each runs as its own subprocess with its output in a log file, so the bench can search
the server's log afterwards (for "database is locked", for instance).
"""

from __future__ import annotations

import asyncio
import os
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from bench.client import Request, call

REPO_ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
#: The uvicorn settings ``cpl serve`` uses (src/cpl/cli.py), given to the bare app too.
UVICORN_FLAGS = ["--loop", "uvloop", "--http", "httptools", "--workers", "1", "--log-level", "info"]


@dataclass(frozen=True)
class Server:
    name: str
    port: int
    process: subprocess.Popen
    log_path: Path

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def cpu_seconds(self) -> float:
        """User and system CPU time the server process (all its threads) has used so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def log_size(self) -> int:
        return self.log_path.stat().st_size

    def locked_lines_since(self, offset: int) -> int:
        """How many "database is locked" errors the server logged after ``offset``."""
        with self.log_path.open("rb") as log:
            log.seek(offset)
            return log.read().count(b"database is locked")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def cpl_serve_command(port: int) -> list[str]:
    """The installed ``cpl`` console script of this interpreter's environment."""
    return [str(Path(sys.executable).parent / "cpl"), "serve", "--host", HOST, "--port", str(port)]


def bare_command(port: int) -> list[str]:
    app = "bench.bare_app:create_app"
    return [sys.executable, "-m", "uvicorn", app, "--factory", "--host", HOST, "--port", str(port), *UVICORN_FLAGS]


def cpl_environment(**cpl_settings: str) -> dict[str, str]:
    """This process's environment without any inherited ``CPL_*`` setting, plus the given ones."""
    environment = {name: value for name, value in os.environ.items() if not name.startswith("CPL_")}
    environment.update({f"CPL_{name.upper()}": value for name, value in cpl_settings.items()})
    return environment


@contextmanager
def running(name: str, command: list[str], environment: dict[str, str], log_path: Path) -> Iterator[Server]:
    """Run the command for the duration of the block, then stop it (SIGTERM, then SIGKILL)."""
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, env=environment, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            yield Server(name, int(command[command.index("--port") + 1]), process, log_path)
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


async def wait_healthy(server: Server, within_seconds: float = 120.0) -> None:
    """Wait until ``GET /health`` answers 200; fail with the log's tail if the server died."""
    deadline = time.monotonic() + within_seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {server.process.returncode}:\n{server.log_text()[-3000:]}")
        try:
            status, _ = await call(HOST, server.port, Request("GET", "/health", {}))
        except OSError:
            status = 0
        if status == 200:
            return
        await asyncio.sleep(0.2)
    raise TimeoutError(f"{server.name} was not healthy after {within_seconds} s:\n{server.log_text()[-3000:]}")


@asynccontextmanager
async def scratch_postgres(admin_url: str) -> AsyncIterator[str]:
    """A new, empty PostgreSQL database for the run's URL; dropped (forcibly) afterwards."""
    name = f"cpl_bench_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(admin_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield admin_url.rsplit("/", 1)[0] + f"/{name}"
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


async def server_versions(admin_url: str) -> str:
    """PostgreSQL's and SQLite's versions, for the record."""
    admin = await asyncpg.connect(admin_url)
    try:
        postgres = await admin.fetchval("SHOW server_version")
    finally:
        await admin.close()
    return f"PostgreSQL {postgres}, SQLite {sqlite3.sqlite_version}"
