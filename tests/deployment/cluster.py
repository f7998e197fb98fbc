"""The test's nodes: ``bench.cluster``'s ``cpl serve`` processes with fast password hashing, and
the mail they all wrote."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage
from pathlib import Path

from bench.cluster import ServeProcess
from tests.conftest import FAST_HASHING


def node(name: str, folder: Path, environment: dict[str, str]) -> ServeProcess:
    """One node with the given ``CPL_*`` settings, hashing passwords as fast as the other tests do."""
    hashing = {f"CPL_{key.upper()}": str(value) for key, value in FAST_HASHING.items()}
    return ServeProcess(name, folder, {**hashing, **environment})


class ClusterMailbox:
    """The mail every node wrote, oldest first by file name (``tests.factories.sign_up`` reads it)."""

    def __init__(self, nodes: list[ServeProcess]) -> None:
        self.nodes = nodes

    @property
    def messages(self) -> list[EmailMessage]:
        paths = sorted((path for node in self.nodes for path in node.mail_folder.glob("*.eml")), key=lambda p: p.name)
        return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default) for path in paths]
