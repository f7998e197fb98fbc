"""Reading the mail cpl sent, as a person would: from the mail folder (no SMTP configured) or
from the real SMTP server a test starts (aiosmtpd)."""

from __future__ import annotations

import email
import email.policy
import re
import socket
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message


class FolderMailbox:
    """The ``.eml`` files cpl wrote into ``data_dir/mail``, oldest first."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @property
    def messages(self) -> list[EmailMessage]:
        if not self.folder.exists():
            return []
        found = []
        for path in sorted(self.folder.glob("*.eml")):
            try:  # an erasure job may delete the erased person's mail between listing and reading
                found.append(email.message_from_bytes(path.read_bytes(), policy=email.policy.default))
            except FileNotFoundError:
                continue
        return found


class SmtpMailbox(Message):
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list = []

    def handle_message(self, message) -> None:
        self.messages.append(email.message_from_bytes(message.as_bytes(), policy=email.policy.default))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    """A real SMTP server on a free local port: ``(controller, mailbox)``."""
    mailbox = SmtpMailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, mailbox
    controller.stop()


def mails_to(mailbox, address: str) -> list[EmailMessage]:
    return [message for message in mailbox.messages if message["To"] == address]


def last_mail_to(mailbox, address: str) -> EmailMessage:
    found = mails_to(mailbox, address)
    assert found, f"no mail to {address}; mail sent: {[(m['To'], m['Subject']) for m in mailbox.messages]}"
    return found[-1]


def body_of(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def link_in(message: EmailMessage, path: str) -> str:
    """The absolute link to ``path`` in the message's body."""
    found = re.search(r"https?://\S+" + re.escape(path) + r"\S*", body_of(message))
    assert found, f"no link to {path} in: {body_of(message)}"
    return found.group(0)


def token_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)["token"][0]
