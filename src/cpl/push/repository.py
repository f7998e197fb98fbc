"""Every statement on ``push_subscription`` and ``vapid_key`` (src/cpl/README.md, one module per table)."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from cpl.kernel import clock
from cpl.push.tables import PushSubscription, VapidKey

VAPID_ROW = "vapid"


async def stored_vapid_key() -> dict[str, Any] | None:
    return await VapidKey.select().where(VapidKey.name == VAPID_ROW).first()


async def insert_vapid_key(public_key: str, sealed_private_key: str) -> None:
    """Raises the database's unique violation when another node installed one first."""
    await VapidKey.insert(VapidKey(name=VAPID_ROW, public_key=public_key, private_key=sealed_private_key))


async def upsert_subscription(account: UUID, endpoint: str, p256dh: str, auth: str) -> tuple[dict[str, Any], bool]:
    """The device's row (in the caller's transaction), and whether it is new. An endpoint already
    stored is updated in place (new keys, and the account now signed in on that device)."""
    now = clock.now()
    values = {"account": account, "p256dh": p256dh, "auth": auth, "updated_at": now}
    existing = await PushSubscription.select(PushSubscription.id).where(PushSubscription.endpoint == endpoint).first()
    if existing:
        await PushSubscription.update(values).where(PushSubscription.id == existing["id"])
        return await subscription(existing["id"]), False
    row = {"id": uuid4(), "endpoint": endpoint, "created_at": now, **values}
    await PushSubscription.insert(PushSubscription(**row))
    return row, True


async def subscription(subscription_id: UUID) -> dict[str, Any] | None:
    return await PushSubscription.select().where(PushSubscription.id == subscription_id).first()


async def subscriptions_of(account: UUID) -> list[dict[str, Any]]:
    """Oldest first."""
    return (
        await PushSubscription.select()
        .where(PushSubscription.account == account)
        .order_by(PushSubscription.created_at)
        .order_by(PushSubscription.id)
    )


async def delete_subscription(subscription_id: UUID) -> None:
    await PushSubscription.delete().where(PushSubscription.id == subscription_id)


async def delete_gone(subscription_id: UUID, endpoint: str) -> None:
    """The push service says the subscription no longer exists: the row goes, unless the device
    subscribed again meanwhile (a new endpoint would be another row; the same one, updated keys)."""
    await PushSubscription.delete().where(
        (PushSubscription.id == subscription_id) & (PushSubscription.endpoint == endpoint)
    )


async def delete_of(account: UUID) -> None:
    await PushSubscription.delete().where(PushSubscription.account == account)
