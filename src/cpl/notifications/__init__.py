"""In-app notifications of review events, with optional e-mail copies."""

from cpl.notifications.routes import NotificationController
from cpl.notifications.service import deliver, notify

__all__ = ["NotificationController", "deliver", "notify"]
