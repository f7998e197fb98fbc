"""Web Push to the installed app: devices' subscriptions, the VAPID key, and sending."""

from cpl.push.courier import courier_lifespan, finish_sending, send_soon
from cpl.push.keys import ensure_vapid_key
from cpl.push.routes import PushKeyController, PushSubscriptionController
from cpl.push.sending import PushMessage, push_to
from cpl.push.service import erase_subscriptions, push_subscriptions_data

__all__ = [
    "courier_lifespan",
    "finish_sending",
    "send_soon",
    "PushKeyController",
    "PushMessage",
    "PushSubscriptionController",
    "ensure_vapid_key",
    "erase_subscriptions",
    "push_subscriptions_data",
    "push_to",
]
