"""The mail outbox: sent after the commit, kept and retried when the SMTP server fails (issue 14, item 1)."""

from __future__ import annotations

from datetime import timedelta

from aiosmtpd.controller import Controller

from cpl.kernel import clock
from cpl.mail import send_due
from cpl.mail.tables import MailOutbox
from tests.mailbox import SmtpMailbox, _free_port, body_of
from tests.organisations.helpers import team
from tests.reviews.helpers import submit


async def test_a_mail_server_that_is_down_fails_nothing_and_the_mail_is_sent_when_it_is_back(client_for, settings):
    t = await team(await client_for())
    port = _free_port()
    smtp_settings = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_timeout_seconds": 2})
    client = await client_for(smtp_settings)
    await submit(client, t)
    [queued] = await MailOutbox.select()
    assert queued["attempts"] == 1 and queued["last_error"] != "" and "submitted" in queued["subject"]
    assert queued["next_attempt_at"] > clock.now()

    mailbox = SmtpMailbox()
    server = Controller(mailbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        await send_due(smtp_settings)
        assert mailbox.messages == []  # not due yet: the retry backs off
        await MailOutbox.update({MailOutbox.next_attempt_at: clock.now() - timedelta(seconds=1)}).where(
            MailOutbox.id == queued["id"]
        )
        await send_due(smtp_settings)
    finally:
        server.stop()
    [message] = mailbox.messages
    assert message["To"] == queued["to_address"] and "Wren Worker" in body_of(message)
    assert await MailOutbox.select() == []


async def test_a_message_is_dropped_after_the_last_attempt(client_for, settings):
    t = await team(await client_for())
    smtp_settings = settings.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": _free_port(), "smtp_timeout_seconds": 2, "mail_max_attempts": 2}
    )
    client = await client_for(smtp_settings)
    await submit(client, t)
    await MailOutbox.update({MailOutbox.next_attempt_at: clock.now() - timedelta(seconds=1)}, force=True)
    await send_due(smtp_settings)
    assert await MailOutbox.select() == []
