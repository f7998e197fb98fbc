"""The review workflow: a worker submits an entry; their supervisor comments, asks for
changes, or verifies.

Rules:
- Only the entry's owner submits it, to a supervisor who currently supervises them in the
  organisation named, and only once the entry is shared with that supervisor: a review
  never shows anyone what the worker did not share. One open review per entry and reviewer.
- Only the reviewer asks for changes or verifies, from a session opened with their second
  factor (403 ``urn:cpl:problem:second-factor-required`` otherwise; issue 14), and only a review waiting for them
  (``submitted``). Nobody verifies their own entry (403). The reviewer must still supervise
  the worker there and still be shared the entry: after leaving, or after the worker
  revokes the share, they may do nothing more (403), and nothing changes.
- A verification records the verifier's name, role and registration number (its format
  checked, see :mod:`cpl.reviews.registration`), whether the organisation was vetted then
  (see :mod:`cpl.organisations.vetting`), the statement, the time, and the hash of the entry
  and its files as they stood (see :mod:`cpl.reviews.binding`). Verifying an entry whose
  current verification by the same person still holds is refused (409).
- Both sides may comment while a review is open; the worker may resubmit after changes
  were asked for (or after editing a verified entry, to have it verified again) and may
  withdraw an open review. Every step is kept in the review's history and notifies the
  other side (see :mod:`cpl.notifications`).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from cpl.accounts import require_second_factor
from cpl.accounts.events import AccountErased
from cpl.accounts.ownership import require_verified_email
from cpl.db import write_transaction
from cpl.errors import Conflict, NotAllowed, NotFound, invalid_field
from cpl.evidence.service import owned_entry
from cpl.kernel import clock
from cpl.kernel.principal import Principal
from cpl.notifications import deliver, forget_reviews, notify
from cpl.organisations import active_link, is_vetted
from cpl.organisations.tables import Organisation
from cpl.reviews.binding import binding_hash, current_bindings, verifications_of
from cpl.reviews.registration import checked_registration
from cpl.reviews.schemas import SubmissionIn, VerificationIn
from cpl.reviews.tables import Review, ReviewEvent, Verification
from cpl.settings import Settings
from cpl.sharing import visible_entry

OPEN = ("submitted", "changes_requested")


async def _event(review: UUID, actor: Principal, action: str, body: str = "") -> None:
    await ReviewEvent.insert(
        ReviewEvent(
            id=uuid4(), review=review, actor=actor.account_id, actor_name=actor.display_name, action=action, body=body
        )
    )


async def submit(settings: Settings, worker: Principal, data: SubmissionIn) -> UUID:
    """Put one of my shared entries in my supervisor's queue."""
    entry = await owned_entry(worker.account_id, data.entry_id)
    if data.reviewer_id == worker.account_id:
        raise invalid_field("reviewer_id", "nobody reviews their own entry")
    if not await active_link(data.organisation_id, data.reviewer_id, worker.account_id):
        raise invalid_field("reviewer_id", "not your supervisor in this organisation")
    try:
        await visible_entry(data.reviewer_id, data.entry_id)
    except NotFound as error:
        raise invalid_field("entry_id", "share this entry with the reviewer first") from error
    review_id = uuid4()
    async with write_transaction():
        if await Review.exists().where(
            (Review.entry == data.entry_id) & (Review.reviewer == data.reviewer_id) & Review.state.is_in(list(OPEN))
        ):
            raise Conflict("This entry is already waiting for this reviewer.")
        await Review.insert(
            Review(
                id=review_id,
                entry=data.entry_id,
                owner=worker.account_id,
                reviewer=data.reviewer_id,
                organisation=data.organisation_id,
                state="submitted",
                entry_title=entry["title"],
            )
        )
        await _event(review_id, worker, "submitted", data.note)
        note = await notify(
            data.reviewer_id, "submitted", review_id, f"{worker.display_name} asks you to review “{entry['title']}”."
        )
    await deliver(settings, [note])
    return review_id


async def review_for(caller: UUID, review_id: UUID) -> dict[str, Any]:
    """The review, if the caller is its worker or its reviewer; "not found" for anyone else."""
    row = await Review.select().where(Review.id == review_id).first()
    if row is None or caller not in (row["owner"], row["reviewer"]):
        raise NotFound("No review with this id.")
    return row


async def check_reviewer_may_act(review: dict[str, Any]) -> None:
    """The reviewer still supervises the worker there, and the entry is still shared with them."""
    if not await active_link(review["organisation"], review["reviewer"], review["owner"]):
        raise NotAllowed("You no longer supervise this worker in this organisation.")
    try:
        await visible_entry(review["reviewer"], review["entry"])
    except NotFound as error:
        raise NotAllowed("The worker no longer shares this entry with you.") from error


async def _reviewer_step(caller: Principal, review_id: UUID) -> dict[str, Any]:
    review = await review_for(caller.account_id, review_id)
    if caller.account_id != review["reviewer"]:
        raise NotAllowed("Only the reviewer may do this; nobody verifies their own entry.")
    await require_second_factor(caller)
    await check_reviewer_may_act(review)
    if review["state"] != "submitted":
        raise Conflict(f"This review is {review['state'].replace('_', ' ')}, not waiting for you.")
    return review


async def _step(caller: Principal, review: dict, state: str | None, action: str, body: str) -> dict[str, Any]:
    """Record a step (and a new state, only from the state the review was read in) and the
    other side's notification; the caller holds the transaction."""
    changes = {Review.updated_at: clock.now(), **({Review.state: state} if state else {})}
    moved = (
        await Review.update(changes)
        .where((Review.id == review["id"]) & (Review.state == review["state"]))
        .returning(Review.id)
    )
    if not moved:
        raise Conflict("The review changed meanwhile; read it again.")
    await _event(review["id"], caller, action, body)
    other = review["owner"] if caller.account_id == review["reviewer"] else review["reviewer"]
    message = f"{caller.display_name}: {action.replace('_', ' ')} on “{review['entry_title']}”."
    return await notify(other, action, review["id"], message)


async def _move(settings: Settings, caller: Principal, review: dict, state: str | None, action: str, body: str) -> None:
    async with write_transaction():
        note = await _step(caller, review, state, action, body)
    await deliver(settings, [note])


async def comment(settings: Settings, caller: Principal, review_id: UUID, body: str) -> None:
    review = await review_for(caller.account_id, review_id)
    if caller.account_id == review["reviewer"]:
        await check_reviewer_may_act(review)
    if review["state"] in ("withdrawn", "closed"):
        raise Conflict(f"This review was {review['state']}.")
    await _move(settings, caller, review, None, "commented", body)


async def request_changes(settings: Settings, caller: Principal, review_id: UUID, body: str) -> None:
    review = await _reviewer_step(caller, review_id)
    await _move(settings, caller, review, "changes_requested", "changes_requested", body)


async def resubmit(settings: Settings, caller: Principal, review_id: UUID, body: str) -> None:
    review = await review_for(caller.account_id, review_id)
    if caller.account_id != review["owner"]:
        raise NotAllowed("Only the worker resubmits their entry.")
    await owned_entry(caller.account_id, review["entry"])
    if review["state"] == "verified" and not any(
        v.stale for v in await verifications_of([review["entry"]]) if v.review_id == review_id
    ):
        raise Conflict("The entry is verified and unchanged since; there is nothing to verify again.")
    if review["state"] not in ("changes_requested", "verified"):
        raise Conflict(
            f"This review is {review['state'].replace('_', ' ')}; only one sent back or verified is resubmitted."
        )
    await _move(settings, caller, review, "submitted", "resubmitted", body)


async def withdraw(settings: Settings, caller: Principal, review_id: UUID) -> None:
    review = await review_for(caller.account_id, review_id)
    if caller.account_id != review["owner"]:
        raise NotAllowed("Only the worker withdraws their submission.")
    if review["state"] not in OPEN:
        raise Conflict(f"This review is {review['state'].replace('_', ' ')}; only an open one is withdrawn.")
    await _move(settings, caller, review, "withdrawn", "withdrawn", "")


async def verify(settings: Settings, caller: Principal, review_id: UUID, data: VerificationIn) -> None:
    """Verify the entry as it now stands, bound to its content and files; only with a verified address.
    When the verifier says what they saw (``seen``), only if the entry is exactly that now."""
    review = await _reviewer_step(caller, review_id)
    await require_verified_email(caller.account_id)
    hashed = (await current_bindings([review["entry"]]))[review["entry"]]
    if data.seen and (data.seen.entry, sorted(data.seen.attachments)) != (hashed["entry"], hashed["attachments"]):
        raise Conflict("The entry or its files changed since you opened it: read it again before verifying.")
    content_hash = binding_hash(hashed)
    if await Verification.exists().where(
        (Verification.entry == review["entry"])
        & (Verification.verifier == caller.account_id)
        & (Verification.content_hash == content_hash)
    ):
        raise Conflict("You have already verified this entry as it stands.")
    number, register = checked_registration(data.registration_number, data.register_key)
    organisation = await Organisation.select(Organisation.name).where(Organisation.id == review["organisation"]).first()
    async with write_transaction():
        vetted = await is_vetted(review["organisation"])
        await Verification.insert(
            Verification(
                id=uuid4(),
                review=review_id,
                entry=review["entry"],
                verifier=caller.account_id,
                verifier_name=caller.display_name,
                verifier_role=data.role or "Supervisor",
                verifier_registration_number=number,
                verifier_register=register,
                organisation=review["organisation"],
                organisation_name=organisation["name"],
                organisation_vetted=vetted,
                statement=data.statement,
                content_hash=content_hash,
                hashed=hashed,
            )
        )
        note = await _step(caller, review, "verified", "verified", data.statement)
    await deliver(settings, [note])


async def erase_reviews_received(erased: AccountErased) -> None:
    """The reviews of the person's entries go, with their history, the verifications they received and
    what the reviewers were told about them. Reviews this person made of other workers' entries stay:
    they are part of those workers' records, and keep the name as it was given."""
    ids = [row["id"] for row in await Review.select(Review.id).where(Review.owner == erased.account_id)]
    if ids:
        await Verification.delete().where(Verification.review.is_in(ids))
        await ReviewEvent.delete().where(ReviewEvent.review.is_in(ids))
        await Review.delete().where(Review.id.is_in(ids))
    await forget_reviews(ids)


async def reviews_received_data(owner: UUID) -> list[dict[str, Any]]:
    """Reviews of the person's entries, each with its history and the verifications it gave."""
    reviews = await Review.select().where(Review.owner == owner)
    ids = [row["id"] for row in reviews] or [None]
    steps = await ReviewEvent.select().where(ReviewEvent.review.is_in(ids))
    verified = await Verification.select().where(Verification.review.is_in(ids)).output(load_json=True)
    return [
        {
            **row,
            "history": [step for step in steps if step["review"] == row["id"]],
            "verifications": [item for item in verified if item["review"] == row["id"]],
        }
        for row in reviews
    ]


async def reviews_given_data(reviewer: UUID) -> list[dict[str, Any]]:
    """What the person wrote as a reviewer of others' entries: their comments and verifications."""
    steps = await ReviewEvent.select().where(ReviewEvent.actor == reviewer)
    verified = await Verification.select().where(Verification.verifier == reviewer).output(load_json=True)
    return [{"kind": "review_step", **row} for row in steps] + [{"kind": "verification", **row} for row in verified]
