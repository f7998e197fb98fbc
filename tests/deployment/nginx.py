"""Debian's nginx, run by the test's user with a generated configuration on free ports, in front of
the nodes. The locations and proxy settings are infra/nginx/cpl-locations.conf itself, included as is."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import httpx

from tests.deployment.cluster import ServeProcess, free_port

LOCATIONS = Path(__file__).resolve().parents[2] / "infra" / "nginx" / "cpl-locations.conf"

CONFIG = """
{user}
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log {folder}/access.log;
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
    def __init__(self, folder: Path, nodes: list[ServeProcess]) -> None:
        self.folder = folder / "nginx"
        self.folder.mkdir()
        self.port = free_port()
        servers = "\n".join(f"        server 127.0.0.1:{node.port} max_fails=3 fail_timeout=2s;" for node in nodes)
        # Started by root (CI), workers would switch to `nobody` and lose the test's private folders.
        user = "user root;" if os.geteuid() == 0 else ""
        self.config = self.folder / "nginx.conf"
        self.config.write_text(
            CONFIG.format(user=user, folder=self.folder, servers=servers, port=self.port, locations=LOCATIONS)
        )
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

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
