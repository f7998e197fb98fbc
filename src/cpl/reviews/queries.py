"""Reading reviews: a supervisor's queue, a worker's submissions, one review's history, and
the verifications of an entry."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import msgspec

from cpl.evidence.service import owned_entry
from cpl.kernel.pagination import after_keyset, keyset_cursor
from cpl.organisations import vetted_now
from cpl.reviews.binding import verifications_of
from cpl.reviews.schemas import ReviewDetailOut, ReviewEventOut, ReviewOut, ReviewPage, VerificationOut
from cpl.reviews.service import check_reviewer_may_act, review_for
from cpl.reviews.tables import Review, ReviewEvent

_COLUMNS = (*Review.all_columns(), Review.owner.display_name, Review.reviewer.display_name)


def review_out(row: dict[str, Any], vetted: dict[UUID, bool]) -> ReviewOut:
    return ReviewOut(
        id=row["id"],
        entry_id=row["entry"],
        entry_title=row["entry_title"],
        worker_id=row["owner"],
        worker_name=row["owner.display_name"],
        reviewer_id=row["reviewer"],
        reviewer_name=row["reviewer.display_name"],
        organisation_id=row["organisation"],
        organisation_vetted=vetted[row["organisation"]],
        state=row["state"],
        submitted_at=row["submitted_at"],
        updated_at=row["updated_at"],
    )


def _utc_time(text: str) -> datetime:
    """A cursor's time in UTC, as stored: a forged time that has no UTC equivalent is refused."""
    return datetime.fromisoformat(text).astimezone(UTC)


async def review_page(where: Any, cursor: str | None, limit: int) -> ReviewPage:
    """Reviews matching ``where``, oldest submission first, a page at a time."""
    if cursor:
        after, after_id = after_keyset(cursor, _utc_time)
        where = where & ((Review.submitted_at > after) | ((Review.submitted_at == after) & (Review.id > after_id)))
    rows = await Review.select(*_COLUMNS).where(where).order_by(Review.submitted_at, Review.id).limit(limit + 1)
    vetted = await vetted_now([row["organisation"] for row in rows[:limit]])
    return ReviewPage(
        items=[review_out(row, vetted) for row in rows[:limit]],
        next_cursor=keyset_cursor(rows[limit - 1]["submitted_at"], rows[limit - 1]["id"])
        if len(rows) > limit
        else None,
    )


async def queue(
    reviewer: UUID, state: str | None, worker: UUID | None, organisation: UUID | None, cursor: str | None, limit: int
) -> ReviewPage:
    """Reviews assigned to me (by default those waiting for me). A closed review is one I may no
    longer act on (:mod:`cpl.reviews.closing`): listed without its entry's title."""
    where = Review.reviewer == reviewer
    where = where & (Review.state == (state or "submitted"))
    if worker:
        where = where & (Review.owner == worker)
    if organisation:
        where = where & (Review.organisation == organisation)
    page = await review_page(where, cursor, limit)
    if state == "closed":
        return msgspec.structs.replace(
            page, items=[msgspec.structs.replace(item, entry_title="") for item in page.items]
        )
    return page


async def submissions(owner: UUID, state: str | None, cursor: str | None, limit: int) -> ReviewPage:
    where = Review.owner == owner
    if state:
        where = where & (Review.state == state)
    return await review_page(where, cursor, limit)


async def review_detail(caller: UUID, review_id: UUID) -> ReviewDetailOut:
    """A review with its whole history. Its reviewer sees it only while they may still act on
    it (they supervise the worker, the entry is shared with them)."""
    review = await review_for(caller, review_id)
    if caller == review["reviewer"]:
        await check_reviewer_may_act(review)
    row = await Review.select(*_COLUMNS).where(Review.id == review_id).first()
    events = await ReviewEvent.select().where(ReviewEvent.review == review_id).order_by(ReviewEvent.created_at)
    verifications = [v for v in await verifications_of([review["entry"]]) if v.review_id == review_id]
    summary = review_out(row, await vetted_now([row["organisation"]]))
    return ReviewDetailOut(
        **{name: getattr(summary, name) for name in ReviewOut.__struct_fields__},
        history=[
            ReviewEventOut(
                id=event["id"],
                actor_id=event["actor"],
                actor_name=event["actor_name"],
                action=event["action"],
                body=event["body"],
                created_at=event["created_at"],
            )
            for event in events
        ],
        verifications=verifications,
    )


async def entry_verifications(owner: UUID, entry_id: UUID) -> list[VerificationOut]:
    """Every verification of my entry, each marked stale or not."""
    await owned_entry(owner, entry_id)
    return await verifications_of([entry_id])


async def waiting_since(cutoff: datetime) -> list[dict[str, Any]]:
    """Reviews in their reviewer's queue (``submitted``) since before ``cutoff``, oldest first."""
    return (
        await Review.select(Review.id, Review.reviewer, Review.entry_title, Review.submitted_at)
        .where((Review.state == "submitted") & (Review.submitted_at < cutoff))
        .order_by(Review.submitted_at)
    )
