"""In-app notifications of review events, with optional e-mail copies."""

from cpl.notifications.routes import NotificationController
from cpl.notifications.service import deliver, notified_since, notify, withdraw_title

__all__ = ["NotificationController", "deliver", "notified_since", "notify", "withdraw_title"]
