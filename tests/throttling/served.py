"""A real ``cpl serve`` process for a test, its output kept in a file to read."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from cpl.settings import Settings
from tests.conftest import FAST_HASHING


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def cpl_serve(settings: Settings, log: Path, **environment: str) -> Iterator[str]:
    """Run ``cpl serve`` on the test's database until the block ends; yields its base URL."""
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **{key: value for key, value in os.environ.items() if not key.startswith("CPL_")},
        "CPL_DATA_DIR": str(settings.data_dir),
        "CPL_DATABASE_URL": settings.resolved_database_url,
        "CPL_PUBLIC_BASE_URL": base_url,
        **{f"CPL_{name.upper()}": str(value) for name, value in FAST_HASHING.items()},
        **environment,
    }
    command = shutil.which("cpl", path=str(Path(sys.executable).parent)) or "cpl"
    with log.open("w") as output:
        server = subprocess.Popen([command, "serve", "--port", str(port)], env=env, stdout=output, stderr=output)
    try:
        deadline = time.monotonic() + 180  # a shared, busy machine can take a minute and more
        while True:
            assert server.poll() is None, f"cpl serve exited:\n{log.read_text()[-3000:]}"
            assert time.monotonic() < deadline, f"cpl serve did not start:\n{log.read_text()[-3000:]}"
            try:
                if httpx.get(f"{base_url}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
