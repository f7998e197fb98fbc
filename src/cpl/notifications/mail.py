"""E-mail for notifications, through the SMTP server the settings name (off by default).

Sent with the standard library's :mod:`smtplib` in a worker thread, after the change that
caused the notification has committed. A mail server that fails is logged and otherwise
ignored: the in-app notification is the record, e-mail only a courtesy.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

import anyio

from cpl.settings import Settings

logger = logging.getLogger("cpl.notifications")


def _message(settings: Settings, to: str, subject: str, text: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)
    return message


def _send_all(settings: Settings, messages: list[EmailMessage]) -> None:
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password.get_secret_value())
        for message in messages:
            smtp.send_message(message)


async def send_mail(settings: Settings, mails: list[tuple[str, str, str]]) -> None:
    """Send ``(to, subject, text)`` mails if SMTP is configured; never raises."""
    if not settings.smtp_host or not mails:
        return
    messages = [_message(settings, to, subject, text) for to, subject, text in mails]
    try:
        await anyio.to_thread.run_sync(_send_all, settings, messages)
    except (OSError, smtplib.SMTPException) as error:
        logger.warning("could not send %d notification e-mail(s): %s", len(messages), error)
