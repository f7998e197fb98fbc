"""Reading the log for people: the published checkpoints, and a worker's access log."""

from __future__ import annotations

import json
from datetime import datetime
from uuid import UUID

from cpl.audit import repository
from cpl.audit.chain import timestamp
from cpl.audit.checkpoints import checkpoint_document
from cpl.audit.schemas import AccessOut, AccessPage, CheckpointOut, CheckpointPage
from cpl.errors import MalformedRequest
from cpl.kernel.pagination import decode_cursor, encode_cursor

#: Reads of a worker's record by someone else: what the worker's access log lists.
ACCESS_ACTIONS = (
    "entry.viewed",
    "entry_list.viewed",
    "attachment.downloaded",
    "review.viewed",
    "review.commented",
    "review.changes_requested",
    "review.verified",
    "team.viewed",
    "workforce.viewed",
    "share_link.opened",
    "export.viewed",
    "audit_profile.viewed",
)


def _before(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    (value,) = decode_cursor(cursor, 1)
    if not value.isdigit():
        raise MalformedRequest("The cursor is not one this service gave out.")
    return int(value)


async def checkpoint_page(cursor: str | None, limit: int) -> CheckpointPage:
    rows = await repository.checkpoints(_before(cursor), limit + 1)
    items = [CheckpointOut(**checkpoint_document(row)) for row in rows[:limit]]
    return CheckpointPage(items=items, next_cursor=encode_cursor(str(items[-1].seq)) if len(rows) > limit else None)


def _access(row: dict) -> AccessOut:
    moment = row["occurred_at"]
    detail = json.loads(row["detail"] or "{}")
    return AccessOut(
        at=timestamp(datetime.fromisoformat(moment) if isinstance(moment, str) else moment),
        action=row["action"],
        object=row["object"],
        name=row["actor_name"],
        organisation=detail.get("organisation", ""),
        role=detail.get("role", ""),
    )


async def access_page(account: UUID, cursor: str | None, limit: int) -> AccessPage:
    """The worker's access log, a page at a time (newest first)."""
    rows = await repository.accesses(account, ACCESS_ACTIONS, _before(cursor), limit + 1)
    items = [_access(row) for row in rows[:limit]]
    more = len(rows) > limit
    return AccessPage(items=items, next_cursor=encode_cursor(str(rows[limit - 1]["seq"])) if more else None)
