"""A reference deployment on one machine: real ``cpl serve`` nodes on one database, and Debian's
nginx in front of them with infra/nginx/cpl-locations.conf included as is.

Shared by the deployment test (``tests/deployment``: nodes killed, stopped and started again) and
the scale bench (``bench.scale``: batch ingest through nginx); neither imports the other.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

START_SECONDS = 180  # a shared, busy machine can take a minute and more
LOCATIONS = Path(__file__).resolve().parents[1] / "infra" / "nginx" / "cpl-locations.conf"
LOG_FORMAT = Path(__file__).resolve().parents[1] / "infra" / "nginx" / "cpl-log-format.conf"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def shared_secret_key(folder: Path) -> Path:
    """The one secret key every node must share (it seals the issuer key in the database)."""
    path = folder / "secret.key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path


class ServeProcess:
    """One node: ``cpl serve`` on its own port and data folder, with the given ``CPL_*`` settings."""

    def __init__(self, name: str, folder: Path, environment: dict[str, str]) -> None:
        self.name = name
        self.port = free_port()
        self.folder = folder
        self.log = folder / f"{name}.log"
        self.environment = {
            **{key: value for key, value in os.environ.items() if not key.startswith("CPL_")},
            "CPL_DATA_DIR": str(folder / name),
            "CPL_SECRET_KEY_FILE": str(shared_secret_key(folder)),
            **environment,
        }
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self) -> ServeProcess:
        command = shutil.which("cpl", path=str(Path(sys.executable).parent)) or "cpl"
        with self.log.open("a") as output:
            self.process = subprocess.Popen(
                [command, "serve", "--port", str(self.port)], env=self.environment, stdout=output, stderr=output
            )
        return self

    def wait_ready(self, seconds: float = START_SECONDS) -> None:
        deadline = time.monotonic() + seconds
        while True:
            assert self.process is not None and self.process.poll() is None, f"{self.name} exited:\n{self.output()}"
            assert time.monotonic() < deadline, f"{self.name} did not start:\n{self.output()}"
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)

    def kill(self) -> None:
        """SIGKILL: the node dies mid-work, as on a power cut; nothing of its shutdown runs."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self, seconds: float = 60) -> int:
        """SIGTERM, as systemd stops it: in-flight requests finish first. Returns the exit code."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else 0
        self.process.terminate()
        try:
            return self.process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()

    @property
    def mail_folder(self) -> Path:
        """Where this node writes mail (no SMTP server is configured)."""
        return self.folder / self.name / "mail"

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""


CONFIG = """
{user}
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include {log_format};
    access_log {folder}/access.log cpl;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    upstream cpl {{
{servers}
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{port};
        include {locations};
    }}
}}
"""


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((path for path in ("/usr/sbin/nginx",) if os.path.exists(path)), None)


class Nginx:
    """Debian's nginx, run by this user with a generated configuration on a free port."""

    def __init__(self, folder: Path, nodes: list[ServeProcess]) -> None:
        self.folder = folder / "nginx"
        self.folder.mkdir()
        self.port = free_port()
        servers = "\n".join(f"        server 127.0.0.1:{node.port} max_fails=3 fail_timeout=2s;" for node in nodes)
        # Started by root (CI), workers would switch to `nobody` and lose the test's private folders.
        user = "user root;" if os.geteuid() == 0 else ""
        self.config = self.folder / "nginx.conf"
        self.config.write_text(
            CONFIG.format(
                user=user,
                folder=self.folder,
                servers=servers,
                port=self.port,
                locations=LOCATIONS,
                log_format=LOG_FORMAT,
            )
        )
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def access_log(self) -> Path:
        return self.folder / "access.log"

    def start(self) -> Nginx:
        binary = nginx_binary()
        assert binary, "nginx is not installed (.ci/run installs Debian's package)"
        log = (self.folder / "stderr.log").open("w")
        command = [binary, "-c", str(self.config), "-p", str(self.folder), "-e", str(self.folder / "error.log")]
        self.process = subprocess.Popen(command, stdout=log, stderr=log)
        deadline = time.monotonic() + 30
        while True:
            assert self.process.poll() is None, (self.folder / "stderr.log").read_text()
            assert time.monotonic() < deadline, "nginx did not start"
            try:
                httpx.get(f"{self.url}/health", timeout=2)
                return self
            except httpx.TransportError:
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def errors(self) -> str:
        path = self.folder / "error.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""
