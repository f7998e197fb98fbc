"""Real ``cpl serve`` processes on one database, to kill (SIGKILL), stop (SIGTERM) and start again."""

from __future__ import annotations

import email
import email.policy
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

import httpx

from tests.conftest import FAST_HASHING

START_SECONDS = 180  # a shared, busy machine can take a minute and more


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
            **{f"CPL_{key.upper()}": str(value) for key, value in FAST_HASHING.items()},
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

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_SECONDS
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


class ClusterMailbox:
    """The mail every node wrote, oldest first by file name (``tests.factories.sign_up`` reads it)."""

    def __init__(self, nodes: list[ServeProcess]) -> None:
        self.nodes = nodes

    @property
    def messages(self) -> list[EmailMessage]:
        paths = sorted((path for node in self.nodes for path in node.mail_folder.glob("*.eml")), key=lambda p: p.name)
        return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default) for path in paths]
