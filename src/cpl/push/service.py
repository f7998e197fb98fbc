"""A person's devices that receive Web Push.

Rules:
- A device is its subscriber's alone; anyone else's id answers "not found".
- The same endpoint subscribed again is the same device: its row is updated (new keys, and the
  account signed in on it now), never duplicated.
- Endpoints are ``https://`` URLs on a DNS name (browsers' push services all are) that resolves
  to public addresses only (:mod:`cpl.push.destinations`); plain HTTP, IP addresses, single-label
  names and private addresses only with ``push_allow_insecure_endpoints`` (tests, local
  development), so cpl is not made to post to its own network.
- Turning push off on a device deletes its subscription; so does the push service answering
  404/410 (:mod:`cpl.push.sending`), and the person's erasure.
"""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

import anyio.to_thread

from cpl.accounts.events import AccountErased
from cpl.db import write_transaction
from cpl.errors import NotFound, invalid_field
from cpl.push import repository
from cpl.push.destinations import non_public_address
from cpl.push.keys import vapid_key
from cpl.push.schemas import PushKeyOut, PushSubscriptionIn, PushSubscriptionOut
from cpl.settings import Settings


def endpoint_host(endpoint: str) -> str:
    return urlsplit(endpoint).hostname or ""


async def _check_endpoint(settings: Settings, endpoint: str) -> None:
    parts = urlsplit(endpoint)
    host = parts.hostname or ""
    if settings.push_allow_insecure_endpoints and parts.scheme in ("https", "http") and host:
        return
    if parts.scheme != "https" or not host:
        raise invalid_field("endpoint", "must be an https:// URL")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        if "." in host.strip("."):
            private = await anyio.to_thread.run_sync(non_public_address, host)
            if private is None:
                return
            raise invalid_field("endpoint", f"must be a push service on the internet; {host} is at {private}") from None
    raise invalid_field("endpoint", "must be on a push service's DNS name, not an address or a local name")


def subscription_out(row: dict[str, Any]) -> PushSubscriptionOut:
    return PushSubscriptionOut(
        id=row["id"], endpoint=row["endpoint"], created_at=row["created_at"], updated_at=row["updated_at"]
    )


async def public_key(settings: Settings) -> PushKeyOut:
    return PushKeyOut(public_key=(await vapid_key(settings)).public_key)


async def subscribe(settings: Settings, account: UUID, data: PushSubscriptionIn) -> tuple[PushSubscriptionOut, bool]:
    """The device's subscription, and whether it is new."""
    await _check_endpoint(settings, data.endpoint)
    async with write_transaction():
        row, created = await repository.upsert_subscription(account, data.endpoint, data.keys.p256dh, data.keys.auth)
    return subscription_out(row), created


async def my_subscriptions(account: UUID) -> list[PushSubscriptionOut]:
    return [subscription_out(row) for row in await repository.subscriptions_of(account)]


async def unsubscribe(account: UUID, subscription_id: UUID) -> None:
    """Delete one of my devices' subscriptions."""
    async with write_transaction():
        row = await repository.subscription(subscription_id)
        if row is None or row["account"] != account:
            raise NotFound("No push subscription with this id.")
        await repository.delete_subscription(subscription_id)


async def erase_subscriptions(erased: AccountErased) -> None:
    """Every device of the person stops receiving pushes (GDPR Art. 17)."""
    await repository.delete_of(erased.account_id)


async def push_subscriptions_data(account: UUID) -> list[dict[str, Any]]:
    """The person's devices for their data export: the push service's host, not the device's address on it."""
    return [
        {
            "id": row["id"],
            "push_service": endpoint_host(row["endpoint"]),
            "created_at": row["created_at"],
            "updated_at": row["updated_at"],
        }
        for row in await repository.subscriptions_of(account)
    ]
