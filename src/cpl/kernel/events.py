"""Cross-domain effects as events, handled inside the transaction that caused them.

A domain that changes something other domains care about (an entry deleted, a membership
ended) publishes a typed event — a frozen dataclass defined in the publishing domain's
``events.py`` — with ``await events.publish(EntryDeleted(...))`` inside its own write
transaction. The domains that react subscribe a handler to the event type in
``cpl.app.create_app``; the publisher never imports them (CONVENTIONS rule 13).

Handlers are awaited one after the other, in the order they were subscribed, in the
publisher's task: Piccolo keeps the open transaction in a context variable, so every
statement a handler runs is part of the publisher's transaction. A handler that raises
makes the publisher's transaction roll back, so the change and its effects commit
together or not at all. Publishing outside a transaction is a programming error and is
refused. (This is piccolo_api's pre/post hooks applied across domains; Litestar's
``@listener`` runs after the response, outside the transaction, and would let a change
commit without its effects.)

Each app builds its own :class:`EventBus` (nothing is registered at import time), and
handlers reach it as the ``events`` dependency, so apps and tests never share handlers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

Event = TypeVar("Event")
Handler = Callable[[Any], Awaitable[None]]


class PublishedOutsideTransaction(RuntimeError):
    """An event was published with no transaction open: its handlers could not share one."""


class EventBus:
    """One app's subscriptions: event type → handlers, run in the publisher's transaction.

    ``in_transaction`` tells whether the caller is inside a transaction (``cpl.db.in_transaction``,
    given by ``create_app``: the kernel does not import ``cpl.db``, which reaches every domain's tables).
    """

    def __init__(self, in_transaction: Callable[[], bool]) -> None:
        self._in_transaction = in_transaction
        self._handlers: dict[type, list[Handler]] = {}

    def subscribe(self, event_type: type[Event], handler: Callable[[Event], Awaitable[None]]) -> None:
        """Run ``handler`` for every event of exactly ``event_type``, after those subscribed before it."""
        self._handlers.setdefault(event_type, []).append(handler)

    async def publish(self, event: object) -> None:
        """Run the event's handlers inside the caller's open transaction; the first failure propagates."""
        if not self._in_transaction():
            raise PublishedOutsideTransaction(f"publish {type(event).__name__} inside the transaction that caused it")
        for handler in self._handlers.get(type(event), ()):
            await handler(event)
