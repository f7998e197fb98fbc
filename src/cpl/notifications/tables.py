"""In-app notifications of review events."""

from __future__ import annotations

from piccolo.columns import UUID, ForeignKey, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from cpl.accounts.tables import Account


class Notification(Table, tablename="notification"):
    """Something that happened that the recipient should know about (a review event)."""

    id = UUID(primary_key=True)
    recipient = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False, index=True)
    #: The review event: ``submitted``, ``commented``, ``changes_requested``, ``verified``…
    kind = Varchar(length=32)
    #: The review it is about (no foreign key: the notification outlives a deleted entry's review).
    review = UUID(null=True, default=None)
    message = Text()
    created_at = Timestamptz(default=TimestamptzNow())
    read_at = Timestamptz(null=True, default=None)
    #: When it was handed to Web Push (cpl.push), by :func:`~cpl.notifications.service.deliver` after the
    #: commit or by the sweep of those left; set once, so it is pushed once across every node.
    pushed_at = Timestamptz(null=True, default=None)
