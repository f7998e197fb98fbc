"""A verification that goes stale is told to both sides (issue 15).

Rules:
- When the worker changes an entry (a new version: ``changed`` of :class:`cpl.evidence.events.EntriesSaved`),
  each of its verifications that held and no longer does (see :mod:`cpl.reviews.binding`)
  notifies the worker and the verifier, once: a verification already reported stale is not
  reported again on the next edit. The worker may resubmit the entry to have it verified again.
- The verifier is told, with the entry's title, only while the entry is still shared with them;
  otherwise only the worker is.
- Notifications are written in the edit's transaction; their e-mail copies are queued in the
  outbox there and go out on its next sending round (the edit does not wait for mail).
"""

from __future__ import annotations

from typing import Any

from cpl.errors import NotFound
from cpl.evidence.events import EntriesSaved
from cpl.notifications import notified_since, notify
from cpl.reviews.binding import binding_hash, current_bindings
from cpl.reviews.tables import Review, Verification
from cpl.sharing import visible_entry

STALE = "verification_stale"


async def _still_shared(review: dict[str, Any]) -> bool:
    try:
        await visible_entry(review["reviewer"], review["entry"])
    except NotFound:
        return False
    return True


async def notify_stale_verifications(saved: EntriesSaved) -> None:
    """Tell both sides of each verification of the changed entries that this change made stale."""
    if not saved.changed:
        return
    verifications = await Verification.select(
        Verification.review,
        Verification.entry,
        Verification.verifier_name,
        Verification.verified_at,
        Verification.content_hash,
    ).where(Verification.entry.is_in(list(saved.changed)))
    if not verifications:
        return
    bindings = await current_bindings(sorted({verification["entry"] for verification in verifications}))
    for verification in verifications:
        entry = verification["entry"]
        current = binding_hash(bindings[entry]) if entry in bindings else None
        if verification["content_hash"] == current or await notified_since(
            verification["review"], STALE, verification["verified_at"]
        ):
            continue
        review = await Review.select().where(Review.id == verification["review"]).first()
        title = review["entry_title"]
        await notify(
            review["owner"],
            STALE,
            review["id"],
            f"{verification['verifier_name']}'s verification of “{title}” no longer holds: the entry changed "
            "since. Resubmit it to have it verified again.",
        )
        if await _still_shared(review):
            await notify(
                review["reviewer"],
                STALE,
                review["id"],
                f"Your verification of “{title}” no longer holds: the worker changed the entry since.",
            )
