"""Links from a worker's evidence entry to the competence items it shows.

Rules:
- Only the entry's owner links it; anyone else's entry answers "not found", as in the
  evidence log itself.
- One entry links to items of any number of frameworks, so one piece of learning counts
  for every register the worker is on; each link carries a short note on how it shows
  the competence.
- ``PUT`` replaces the entry's whole set of links; sending the same set again changes
  nothing visible.
- A link names one item of one edition: it keeps pointing there when a new edition of
  the framework is imported.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from cpl.accounts.events import AccountErased
from cpl.competences.events import EntryLinksChanged
from cpl.competences.queries import item_out
from cpl.competences.repository import entry_link_rows
from cpl.competences.schemas import CompetenceLinkIn, CompetenceLinkOut, CompetenceLinksOut
from cpl.competences.tables import CompetenceItem, CompetenceLink
from cpl.db import write_transaction
from cpl.errors import InvalidInput
from cpl.evidence.events import EntryDeleted
from cpl.evidence.service import owned_entry
from cpl.kernel.events import EventBus


async def _links_out(entry_id: UUID) -> CompetenceLinksOut:
    rows = await entry_link_rows(entry_id)
    return CompetenceLinksOut(
        entry_id=entry_id, links=[CompetenceLinkOut(item=item_out(row), note=row["note"]) for row in rows]
    )


async def entry_links(owner: UUID, entry_id: UUID) -> CompetenceLinksOut:
    await owned_entry(owner, entry_id)
    return await _links_out(entry_id)


def _refuse_duplicates(links: list[CompetenceLinkIn]) -> None:
    first: dict[UUID, int] = {}
    for position, link in enumerate(links):
        if link.item_id in first:
            raise InvalidInput(
                f"links[{position}]: item {link.item_id} is already linked at links[{first[link.item_id]}].",
                errors=[{"field": f"links.{position}.item_id", "message": "the same item twice"}],
            )
        first[link.item_id] = position


async def _frameworks_of(links: list[CompetenceLinkIn]) -> dict[UUID, UUID]:
    """Each linked item's framework; refuse, by position, any item that does not exist."""
    wanted = [link.item_id for link in links]
    rows = await CompetenceItem.select(CompetenceItem.id, CompetenceItem.framework).where(
        CompetenceItem.id.is_in(wanted)
    )
    known = {row["id"]: row["framework"] for row in rows}
    unknown = [
        {"field": f"links.{position}.item_id", "message": f"no competence item {link.item_id}"}
        for position, link in enumerate(links)
        if link.item_id not in known
    ]
    if unknown:
        raise InvalidInput(f"{unknown[0]['field']}: {unknown[0]['message']}.", errors=unknown)
    return known


async def replace_links(
    owner: UUID, entry_id: UUID, links: list[CompetenceLinkIn], events: EventBus | None = None
) -> CompetenceLinksOut:
    """Make the entry's links exactly ``links``; a change publishes
    :class:`~cpl.competences.events.EntryLinksChanged` (an import tells others once at its end)."""
    _refuse_duplicates(links)
    frameworks = await _frameworks_of(links) if links else {}  # items are never deleted: this holds through the write
    rows: list[Any] = [
        CompetenceLink(
            id=uuid4(),
            owner=owner,
            entry=entry_id,
            item=link.item_id,
            framework=frameworks[link.item_id],
            note=link.note,
        )
        for link in links
    ]
    wanted = {link.item_id: link.note for link in links}
    async with write_transaction():
        await owned_entry(owner, entry_id)
        stored = await CompetenceLink.select(CompetenceLink.item, CompetenceLink.note).where(
            CompetenceLink.entry == entry_id
        )
        if {row["item"]: row["note"] for row in stored} != wanted:
            await CompetenceLink.delete().where(CompetenceLink.entry == entry_id)
            if rows:
                await CompetenceLink.insert(*rows)
            if events is not None:
                await events.publish(EntryLinksChanged(owner=owner, entry_id=entry_id))
    return await _links_out(entry_id)


async def forget_entry_links(deleted: EntryDeleted) -> None:
    """The entry was deleted: its links go, and with them the notes the worker wrote on them."""
    await CompetenceLink.delete().where(CompetenceLink.entry == deleted.entry_id)


async def erase_owner_links(erased: AccountErased) -> None:
    """The person's competence links and the notes on them go (GDPR Art. 17)."""
    await CompetenceLink.delete().where(CompetenceLink.owner == erased.account_id)


async def links_data(owner: UUID) -> list[dict[str, Any]]:
    """The person's competence links and their notes, for their copy of their data."""
    return await CompetenceLink.select(
        CompetenceLink.id,
        CompetenceLink.entry,
        CompetenceLink.item.code,
        CompetenceLink.item.title,
        CompetenceLink.note,
        CompetenceLink.created_at,
    ).where(CompetenceLink.owner == owner)
