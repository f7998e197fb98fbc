"""The mail outbox: messages queued in the transaction that caused them, sent after it commits."""

from __future__ import annotations

from piccolo.columns import UUID, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class MailOutbox(Table, tablename="mail_outbox"):
    """One message waiting to be sent. The row is deleted once the message is sent (its body may
    hold a one-time link, which must not outlive the sending), or dropped after the last attempt."""

    id = UUID(primary_key=True)
    to_address = Varchar(length=254)
    subject = Varchar(length=300)
    body = Text()
    created_at = Timestamptz(default=TimestamptzNow())
    attempts = Integer(default=0)
    #: Not tried before this (a retry backs off).
    next_attempt_at = Timestamptz(default=TimestamptzNow(), index=True)
    #: A process sending the message holds it until then; another may take it over afterwards.
    claimed_until = Timestamptz(null=True, default=None)
    last_error = Text(default="")
