"""Sending a push to each of a person's devices, after the change that caused it has committed.

Rules:
- The payload is small JSON (``title``, ``body``, ``url``, ``tag``), encrypted to the device
  (RFC 8291, ``aes128gcm``) and signed with the service's VAPID key (RFC 8292) by pywebpush,
  with a ``TTL`` (RFC 8030 section 5.2) of ``push_ttl``.
- Each request has a timeout (``push_timeout_seconds``) and runs in a worker thread; devices
  are pushed to at once.
- A push service that answers 404 or 410 says the subscription is gone: its row is deleted.
- A 5xx, 429, a timeout or a refused connection is retried up to ``push_max_attempts`` times,
  the wait doubling from ``push_retry_delay_seconds``; any other refusal is logged and dropped.
- Nothing here raises: a push that cannot be sent never fails the request that caused it (the
  in-app notification is the record).
"""

from __future__ import annotations

import enum
import json
import logging
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

import anyio
import anyio.to_thread
import requests
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

from cpl.db import write_transaction
from cpl.push import repository
from cpl.push.destinations import non_public_address
from cpl.push.keys import VapidKey, vapid_key
from cpl.settings import Settings

logger = logging.getLogger("cpl.push")

#: Push services must accept 4,096 bytes of payload (RFC 8030 section 7.2); the body is cut well before.
BODY_MAX_CHARS = 600


@dataclass(frozen=True)
class PushMessage:
    """What the device shows: never more than the in-app notification already says."""

    title: str
    body: str
    #: The app screen the notification opens (a path under ``/app/``).
    url: str
    #: Notifications with the same tag replace one another on the device.
    tag: str

    def payload(self) -> bytes:
        body = self.body if len(self.body) <= BODY_MAX_CHARS else self.body[: BODY_MAX_CHARS - 1] + "…"
        return json.dumps({**asdict(self), "body": body}, ensure_ascii=False).encode()


class Outcome(enum.Enum):
    SENT = "sent"
    GONE = "gone"
    RETRY = "retry"
    REFUSED = "refused"


def vapid_subject(settings: Settings) -> str:
    return settings.vapid_subject or f"mailto:{settings.smtp_from}"


def _post(settings: Settings, key: VapidKey, device: dict[str, Any], payload: bytes) -> Outcome:
    """One push request (blocking). No redirects are followed: a push service answers, it does not
    redirect; nor is a host that now resolves to a private address posted to."""
    host = urlsplit(device["endpoint"]).hostname or ""
    if not settings.push_allow_insecure_endpoints and (private := non_public_address(host)) is not None:
        logger.warning("push to %s refused: it resolves to %s, not a public address", host, private)
        return Outcome.REFUSED
    session = requests.Session()
    session.max_redirects = 0
    subscription = {"endpoint": device["endpoint"], "keys": {"p256dh": device["p256dh"], "auth": device["auth"]}}
    try:
        webpush(
            subscription,
            data=payload,
            vapid_private_key=Vapid02(private_key=key.private_key),
            vapid_claims={"sub": vapid_subject(settings)},
            ttl=int(settings.push_ttl.total_seconds()),
            timeout=settings.push_timeout_seconds,
            headers={"Urgency": "normal"},
            requests_session=session,
        )
        return Outcome.SENT
    except WebPushException as error:
        status = error.response.status_code if error.response is not None else None
        return _outcome_of(status, device, str(error).splitlines()[0])
    except (requests.Timeout, requests.ConnectionError) as error:
        logger.warning("push to %s failed: %s", urlsplit(device["endpoint"]).hostname, type(error).__name__)
        return Outcome.RETRY
    except requests.RequestException as error:
        logger.warning("push to %s refused: %s", urlsplit(device["endpoint"]).hostname, type(error).__name__)
        return Outcome.REFUSED
    finally:
        session.close()


def _outcome_of(status: int | None, device: dict[str, Any], reason: str) -> Outcome:
    host = urlsplit(device["endpoint"]).hostname
    if status in (404, 410):
        logger.info("push subscription on %s is gone (%s): removed", host, status)
        return Outcome.GONE
    logger.warning("push to %s failed: %s", host, reason)
    return Outcome.RETRY if status is not None and (status >= 500 or status == 429) else Outcome.REFUSED


async def _push_device(settings: Settings, key: VapidKey, device: dict[str, Any], payload: bytes) -> None:
    delay = settings.push_retry_delay_seconds
    for attempt in range(1, settings.push_max_attempts + 1):
        outcome = await anyio.to_thread.run_sync(_post, settings, key, device, payload)
        if outcome is Outcome.GONE:
            async with write_transaction():
                await repository.delete_gone(device["id"], device["endpoint"])
        if outcome is not Outcome.RETRY:
            return
        if attempt < settings.push_max_attempts:
            await anyio.sleep(delay)
            delay *= 2
    logger.warning("gave up pushing to %s after %d attempts", urlsplit(device["endpoint"]).hostname, attempt)


async def push_to(settings: Settings, recipient: UUID, message: PushMessage) -> None:
    """Push ``message`` to every device of ``recipient`` (call after the commit); never raises."""
    try:
        devices = await repository.subscriptions_of(recipient)
        if not devices:
            return
        key = await vapid_key(settings)
        payload = message.payload()
        async with anyio.create_task_group() as group:
            for device in devices:
                group.start_soon(_push_device, settings, key, device, payload)
    except Exception:  # a push that fails must never fail the change that caused it
        logger.exception("pushing a notification failed")
