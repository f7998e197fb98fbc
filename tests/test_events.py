"""The event bus: handlers run in the publisher's transaction, and only in one."""

from __future__ import annotations

from uuid import uuid4

import pytest

from cpl import db
from cpl.evidence import EntryDeleted
from cpl.kernel.events import EventBus, PublishedOutsideTransaction


async def test_handlers_run_in_subscription_order_and_only_inside_a_transaction(client) -> None:
    """``client`` starts an app, so an engine is bound; this bus is the test's own."""
    events = EventBus(in_transaction=db.in_transaction)
    heard: list[tuple[str, EntryDeleted]] = []

    async def first(event: EntryDeleted) -> None:
        heard.append(("first", event))

    async def second(event: EntryDeleted) -> None:
        heard.append(("second", event))

    events.subscribe(EntryDeleted, first)
    events.subscribe(EntryDeleted, second)
    deleted = EntryDeleted(owner=uuid4(), entry_id=uuid4())

    with pytest.raises(PublishedOutsideTransaction):
        await events.publish(deleted)
    assert heard == []

    async with db.write_transaction():
        await events.publish(deleted)
    assert heard == [("first", deleted), ("second", deleted)]
