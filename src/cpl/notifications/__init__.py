"""In-app notifications of review events, with optional e-mail copies."""

from cpl.notifications.routes import NotificationController
from cpl.notifications.service import (
    deliver,
    erase_recipient,
    forget_reviews,
    notifications_data,
    notified_since,
    notify,
    purge_older_than,
    push_undelivered,
    queue_email,
    withdraw_title,
)

__all__ = [
    "NotificationController",
    "deliver",
    "erase_recipient",
    "forget_reviews",
    "notifications_data",
    "notified_since",
    "notify",
    "queue_email",
    "purge_older_than",
    "push_undelivered",
    "withdraw_title",
]
