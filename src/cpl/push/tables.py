"""Web Push: the devices a person receives notifications on, and the service's VAPID key."""

from __future__ import annotations

from piccolo.columns import UUID, ForeignKey, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from cpl.accounts.tables import Account


class PushSubscription(Table, tablename="push_subscription"):
    """One device's push subscription (the browser's ``PushSubscription``): where to post, and
    the keys its payloads are encrypted to (RFC 8291)."""

    id = UUID(primary_key=True)
    account = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False, index=True)
    #: The push service's URL for this device. Unique: the same device subscribing again updates its row.
    endpoint = Text(unique=True)
    #: The device's P-256 public key (65 bytes, base64url) and auth secret (16 bytes, base64url).
    p256dh = Varchar(length=100)
    auth = Varchar(length=32)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class VapidKey(Table, tablename="vapid_key"):
    """The service's VAPID key pair (RFC 8292), made at first start and shared by every node.

    One row; a key supplied by settings (``CPL_VAPID_PRIVATE_KEY_FILE``) is never stored."""

    #: Always ``vapid``: the primary key lets only one row in, so two nodes starting at once
    #: cannot both install a key.
    name = Varchar(length=16, primary_key=True)
    #: The uncompressed P-256 public point (65 bytes), base64url: the browser's ``applicationServerKey``.
    public_key = Varchar(length=100)
    #: PKCS#8 PEM, sealed under the service's secret key (cpl.signing.sealing). Never returned by any route.
    private_key = Text(secret=True)
    created_at = Timestamptz(default=TimestamptzNow())
