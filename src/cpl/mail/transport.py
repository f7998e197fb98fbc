"""Handing messages over: to the SMTP server the settings name, or into the mail folder.

Blocking (smtplib, file writes): called in a worker thread. Each message's outcome is
returned, so one refused recipient does not fail the others.
"""

from __future__ import annotations

import logging
import os
import smtplib
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any

from cpl.kernel import clock
from cpl.settings import Settings

logger = logging.getLogger("cpl.mail")


def build_message(settings: Settings, row: dict[str, Any]) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = row["to_address"]
    message["Subject"] = row["subject"]
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(idstring=str(row["id"]), domain=settings.smtp_from.rpartition("@")[2] or None)
    # Unencoded (7bit, or 8bit UTF-8), never quoted-printable: a link stays whole and can be
    # copied straight out of a file in the mail folder (RFC 5322 allows lines up to 998 characters).
    message.set_content(row["body"], cte="7bit" if row["body"].isascii() else "8bit")
    return message


def _write_to_folder(folder: Path, row: dict[str, Any], message: EmailMessage) -> None:
    """``<UTC time>-<id>.eml``, readable by its owner only (it may hold a one-time link)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{clock.now().strftime('%Y%m%dT%H%M%S%fZ')}-{row['id']}.eml"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(message.as_bytes())
    logger.warning("no SMTP server configured: mail to %s written to %s", row["to_address"], path)


def _send_over_smtp(settings: Settings, pairs: list[tuple[dict, EmailMessage]]) -> dict[Any, str]:
    errors: dict[Any, str] = {}
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_username:
                smtp.login(settings.smtp_username, settings.smtp_password.get_secret_value())
            for row, message in pairs:
                try:
                    smtp.send_message(message)
                except smtplib.SMTPException as error:
                    errors[row["id"]] = str(error)
    except (OSError, smtplib.SMTPException) as error:
        return {row["id"]: str(error) or type(error).__name__ for row, _ in pairs if row["id"] not in errors} | errors
    return errors


def hand_over(settings: Settings, rows: list[dict[str, Any]]) -> dict[Any, str]:
    """Send (or write) each message; returns the error of each one that failed, by id."""
    pairs = [(row, build_message(settings, row)) for row in rows]
    if settings.smtp_host:
        return _send_over_smtp(settings, pairs)
    errors: dict[Any, str] = {}
    for row, message in pairs:
        try:
            _write_to_folder(settings.mail_folder, row, message)
        except OSError as error:
            errors[row["id"]] = str(error)
    return errors


def forget_delivered_to(settings: Settings, address: str) -> int:
    """Delete the mail folder's messages to ``address`` (erasure; blocking). With an SMTP server
    configured cpl keeps no copy of sent mail, and there is nothing to do. Returns how many."""
    folder = settings.mail_folder
    if settings.smtp_host or not folder.is_dir():
        return 0
    removed = 0
    for path in folder.glob("*.eml"):
        with path.open("rb") as file:
            message = BytesParser(policy=default).parse(file, headersonly=True)
        if str(message["To"] or "").strip().lower() == address.lower():
            path.unlink(missing_ok=True)
            removed += 1
    return removed
