"""Reviews a supervisor can no longer act on leave their queue (issue 15).

Rules:
- An open review (``submitted`` or ``changes_requested``) whose reviewer may no longer act on
  it — the entry deleted, the share that showed it to them revoked or ended, the supervision
  link ended, either of them gone from the organisation — is **closed**: state ``closed``, a
  ``closed`` step in its history saying why. It leaves the reviewer's queue and every count of
  it (the team view's open reviews); every step on it is refused from then on. To have the
  entry reviewed again, the worker shares it again and submits it anew.
- The reviewer's notifications of such a review, open or not, no longer show the entry's
  title (:func:`cpl.notifications.withdraw_title`): it is no longer theirs to read.
- A deleted entry's title also goes from the review (the worker's list of submissions) and
  from the worker's own notifications, as the entry's content goes (``cpl.evidence``).

All of it happens in the transaction of the change, through the events that report it
(CONVENTIONS rule 13): ``EntryDeleted``, ``ShareRevoked``, ``SupervisionEnded``, ``MembershipEnded``.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from cpl.errors import NotAllowed
from cpl.evidence.events import EntryDeleted
from cpl.kernel import clock
from cpl.notifications import withdraw_title
from cpl.organisations.events import MembershipEnded, SupervisionEnded
from cpl.reviews.service import OPEN, check_reviewer_may_act
from cpl.reviews.tables import Review, ReviewEvent
from cpl.sharing.events import ShareRevoked

NO_LONGER_SHARED = "an entry no longer shared with you"
DELETED = "a deleted entry"
UNSHARED_REASON = "The entry is no longer shared with the reviewer, or they no longer supervise the worker here."
DELETED_REASON = "The worker deleted the entry."


async def _close(review: dict[str, Any], reason: str) -> None:
    moved = (
        await Review.update({Review.state: "closed", Review.updated_at: clock.now()})
        .where((Review.id == review["id"]) & Review.state.is_in(list(OPEN)))
        .returning(Review.id)
    )
    if moved:
        await ReviewEvent.insert(
            ReviewEvent(id=uuid4(), review=review["id"], actor=None, actor_name="", action="closed", body=reason)
        )


async def _may_still_act(review: dict[str, Any]) -> bool:
    try:
        await check_reviewer_may_act(review)
    except NotAllowed:
        return False
    return True


async def _recheck(where: Any) -> None:
    """Close the matching open reviews whose reviewer may no longer act, and take the entry's
    title out of that reviewer's notifications of every matching review they lost."""
    for review in await Review.select().where(where & (Review.state != "closed")):
        if await _may_still_act(review):
            continue
        await _close(review, UNSHARED_REASON)
        await withdraw_title({review["id"]: review["entry_title"]}, [review["reviewer"]], NO_LONGER_SHARED)


async def close_reviews_of_deleted_entry(deleted: EntryDeleted) -> None:
    """The entry is deleted: its open reviews close, and its title goes from them and their notifications."""
    reviews = await Review.select().where(Review.entry == deleted.entry_id)
    for review in reviews:
        await _close(review, DELETED_REASON)
    await withdraw_title({review["id"]: review["entry_title"] for review in reviews}, None, DELETED)
    await Review.update({Review.entry_title: ""}).where(Review.entry == deleted.entry_id)


async def close_reviews_of_revoked_share(revoked: ShareRevoked) -> None:
    """The worker revoked a share: its viewers' reviews of what it alone showed them close."""
    where = (Review.owner == revoked.owner) & (Review.organisation == revoked.organisation)
    if revoked.supervisor is not None:
        where = where & (Review.reviewer == revoked.supervisor)
    await _recheck(where)


async def close_reviews_of_ended_supervision(ended: SupervisionEnded) -> None:
    """The supervision link ended: the supervisor's reviews of that worker there close."""
    pair = (Review.owner == ended.worker) & (Review.reviewer == ended.supervisor)
    await _recheck(pair & (Review.organisation == ended.organisation))


async def close_reviews_on_leaving(left: MembershipEnded) -> None:
    """Someone left an organisation: the reviews there they asked for or were asked to do close."""
    who: UUID = left.account
    await _recheck((Review.organisation == left.organisation) & ((Review.owner == who) | (Review.reviewer == who)))
