"""What reminders hold of a person: erased with their account, and in their copy of their data."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from uuid import UUID

from cpl.accounts.events import AccountErased
from cpl.reminders import repository
from cpl.reminders.preferences import preferences_of


async def erase_reminders(erased: AccountErased) -> None:
    """Their settings, the record of reminders sent to them and their calendar address go (GDPR Art. 17)."""
    await repository.erase(erased.account_id)


async def reminders_data(owner: UUID) -> list[dict[str, Any]]:
    """Their settings, each reminder sent to them (key, kind, when), and when their calendar address
    was made (its token is not kept, so it cannot be given back): one record each, named by ``record``."""
    chosen = (await preferences_of([owner]))[owner]
    records: list[dict[str, Any]] = [{"record": "settings", **asdict(chosen), "days_before": list(chosen.days_before)}]
    records += [
        {"record": "sent", "key": row["key"], "kind": row["kind"], "sent_at": row["sent_at"]}
        for row in await repository.sent_to(owner)
    ]
    feed = await repository.feed_of(owner)
    if feed is not None:
        records.append({"record": "calendar_feed", "created_at": feed["created_at"]})
    return records
