"""A worker's shares: making, listing and revoking them, and ending them when people leave.

Rules:
- Private by default: nothing is shared until the worker shares it.
- A worker shares only with an organisation they are a current worker of, or with a
  supervisor who currently supervises them there; anyone else is a stranger (422, nothing
  written). Chosen entries must be the worker's own live entries; a filter's framework
  must exist and its registration be the worker's.
- Revoking is immediate and final (a share is never revived: share again instead);
  revoking twice changes nothing.
- Leaving an organisation ends the worker's shares with it and with its supervisors; a
  supervisor leaving ends the shares made with them.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from cpl.accounts.events import AccountErased
from cpl.competences.tables import CompetenceFramework
from cpl.db import write_transaction
from cpl.errors import NotFound, invalid_field
from cpl.evidence import repository
from cpl.kernel import clock
from cpl.kernel.events import EventBus
from cpl.organisations import active_link, active_roles
from cpl.organisations.events import MembershipEnded, SupervisionEnded
from cpl.requirements.tables import Registration
from cpl.sharing.events import ShareMade, ShareRevoked
from cpl.sharing.schemas import ShareFilterOut, ShareIn, ShareOut
from cpl.sharing.tables import Share, SharedEntry


async def _check_recipient(owner: UUID, data: ShareIn) -> None:
    if "worker" not in await active_roles(owner, data.organisation_id):
        raise invalid_field("organisation_id", "you are not a current worker of this organisation")
    if data.supervisor_id and not await active_link(data.organisation_id, data.supervisor_id, owner):
        raise invalid_field("supervisor_id", "not your supervisor in this organisation")


async def _check_scope(owner: UUID, data: ShareIn) -> None:
    if data.entry_ids is not None:
        ids = list(dict.fromkeys(data.entry_ids))
        found = await repository.live_ids_of(owner, ids)
        for position, entry_id in enumerate(data.entry_ids):
            if entry_id not in found:
                raise invalid_field(f"entry_ids.{position}", "not one of your evidence entries")
        return
    criteria = data.filter
    if criteria.framework_id and not await CompetenceFramework.exists().where(
        CompetenceFramework.id == criteria.framework_id
    ):
        raise invalid_field("filter.framework_id", "no framework with this id")
    if criteria.registration_id and not await Registration.exists().where(
        (Registration.id == criteria.registration_id) & (Registration.owner == owner)
    ):
        raise invalid_field("filter.registration_id", "not one of your registrations")


async def create_share(events: EventBus, owner: UUID, data: ShareIn) -> ShareOut:
    """Share; :class:`~cpl.sharing.events.ShareMade` is published in the same transaction."""
    await _check_recipient(owner, data)
    await _check_scope(owner, data)
    criteria = data.filter
    share_id = uuid4()
    async with write_transaction():
        await Share.insert(
            Share(
                id=share_id,
                owner=owner,
                organisation=data.organisation_id,
                supervisor=data.supervisor_id,
                scope="entries" if data.entry_ids is not None else "filter",
                occurred_from=criteria and criteria.starts_on,
                occurred_to=criteria and criteria.ends_on,
                framework=criteria and criteria.framework_id,
                registration=criteria and criteria.registration_id,
            )
        )
        if data.entry_ids is not None:
            await SharedEntry.insert(
                *(SharedEntry(share=share_id, entry=entry) for entry in dict.fromkeys(data.entry_ids))
            )
        made = ShareMade(
            owner=owner, share_id=share_id, organisation=data.organisation_id, supervisor=data.supervisor_id
        )
        await events.publish(made)
    return (await _shares_out(owner, [share_id]))[0]


async def _shares_out(owner: UUID, ids: list[UUID] | None = None) -> list[ShareOut]:
    where = Share.owner == owner
    if ids is not None:
        where = where & Share.id.is_in(ids)
    rows = await Share.select(*Share.all_columns(), Share.organisation.name).where(where).order_by(Share.created_at)
    chosen: dict[UUID, list[UUID]] = {}
    entries_shares = [row["id"] for row in rows if row["scope"] == "entries"]
    if entries_shares:
        for link in await SharedEntry.select(SharedEntry.share, SharedEntry.entry).where(
            SharedEntry.share.is_in(entries_shares)
        ):
            chosen.setdefault(link["share"], []).append(link["entry"])
    return [share_out(row, chosen.get(row["id"], [])) for row in rows]


def share_out(row: dict[str, Any], entry_ids: list[UUID]) -> ShareOut:
    is_filter = row["scope"] == "filter"
    return ShareOut(
        id=row["id"],
        organisation_id=row["organisation"],
        organisation_name=row["organisation.name"],
        supervisor_id=row["supervisor"],
        scope=row["scope"],
        entry_ids=None if is_filter else entry_ids,
        filter=ShareFilterOut(
            starts_on=row["occurred_from"],
            ends_on=row["occurred_to"],
            framework_id=row["framework"],
            registration_id=row["registration"],
        )
        if is_filter
        else None,
        created_at=row["created_at"],
        ended_at=row["ended_at"],
        end_reason=row["end_reason"],
    )


async def my_shares(owner: UUID) -> list[ShareOut]:
    return await _shares_out(owner)


async def my_share(owner: UUID, share_id: UUID) -> ShareOut:
    found = await _shares_out(owner, [share_id])
    if not found:
        raise NotFound("No share with this id.")
    return found[0]


async def revoke(events: EventBus, owner: UUID, share_id: UUID) -> None:
    """Revoke at once; :class:`~cpl.sharing.events.ShareRevoked` is published in the same
    transaction (only when the share was in force), so what others show of it goes with it."""
    share = await my_share(owner, share_id)
    now = clock.now()
    async with write_transaction():
        ended = (
            await Share.update({Share.ended_at: now, Share.end_reason: "revoked"})
            .where((Share.id == share_id) & Share.ended_at.is_null())
            .returning(Share.id)
        )
        if ended:
            await events.publish(
                ShareRevoked(
                    owner=owner,
                    share_id=share_id,
                    organisation=share.organisation_id,
                    supervisor=share.supervisor_id,
                    revoked_at=now,
                )
            )


async def end_shares_on_leaving(left: MembershipEnded) -> None:
    """Someone left an organisation: end their shares with it, and the shares made with them there."""
    in_force = Share.ended_at.is_null() & (Share.organisation == left.organisation)
    await Share.update({Share.ended_at: left.ended_at, Share.end_reason: "worker_left"}).where(
        in_force & (Share.owner == left.account)
    )
    await Share.update({Share.ended_at: left.ended_at, Share.end_reason: "supervisor_left"}).where(
        in_force & (Share.supervisor == left.account)
    )


async def end_supervision_shares(ended: SupervisionEnded) -> None:
    """A supervision link ended: the worker's shares with that supervisor there end with it."""
    await Share.update({Share.ended_at: ended.ended_at, Share.end_reason: "supervision_ended"}).where(
        Share.ended_at.is_null()
        & (Share.organisation == ended.organisation)
        & (Share.supervisor == ended.supervisor)
        & (Share.owner == ended.worker)
    )


async def erase_owner_shares(erased: AccountErased) -> None:
    """The person's shares go; shares other workers made with this person end ("supervisor_left")."""
    owned = [row["id"] for row in await Share.select(Share.id).where(Share.owner == erased.account_id)]
    if owned:
        await SharedEntry.delete().where(SharedEntry.share.is_in(owned))
        await Share.delete().where(Share.id.is_in(owned))
    await Share.update({Share.ended_at: clock.now(), Share.end_reason: "supervisor_left"}).where(
        Share.ended_at.is_null() & (Share.supervisor == erased.account_id)
    )


async def shares_data(owner: UUID) -> list[dict[str, Any]]:
    """The person's shares, ended ones too, with the entries each names."""
    rows = await Share.select().where(Share.owner == owner)
    entries = await SharedEntry.select(SharedEntry.share, SharedEntry.entry).where(
        SharedEntry.share.is_in([row["id"] for row in rows] or [None])
    )
    return [{**row, "entries": [item["entry"] for item in entries if item["share"] == row["id"]]} for row in rows]
