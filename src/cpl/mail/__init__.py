"""Outgoing e-mail: the outbox every domain queues mail in, and its sending (see :mod:`cpl.mail.outbox`)."""

from cpl.mail.outbox import forget_mail_to, mail_lifespan, queue_mail, send_due, send_queued
from cpl.mail.transport import forget_delivered_to

__all__ = [
    "forget_delivered_to",
    "forget_mail_to",
    "mail_lifespan",
    "queue_mail",
    "send_due",
    "send_queued",
]
