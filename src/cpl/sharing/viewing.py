"""The read-only shared view: who shares with me, their shared entries, one shared entry.

Everything here goes through :mod:`cpl.sharing.visibility`; an entry not shared with the
viewer answers "not found", exactly as one that does not exist.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from cpl.accounts.tables import Account
from cpl.attachments.service import entry_attachments
from cpl.competences.links import entry_links
from cpl.errors import NotFound
from cpl.evidence import repository
from cpl.evidence.mapping import answer_json, entry_document
from cpl.evidence.summaries import Entry
from cpl.kernel.pagination import after_keyset, keyset_cursor
from cpl.organisations.service import member_organisation
from cpl.settings import Settings
from cpl.sharing.file_links import file_link, link_key
from cpl.sharing.schemas import SharedAttachmentOut, SharingWorkerOut
from cpl.sharing.visibility import ORGANISATION_VIEWERS, shared_entries, visible_entry, visible_shares


async def sharing_workers(viewer: UUID) -> list[SharingWorkerOut]:
    shares = [share for share in await visible_shares(viewer) if share["owner"] != viewer]
    by_owner: dict[UUID, list[dict[str, Any]]] = {}
    for share in shares:
        by_owner.setdefault(share["owner"], []).append(share)
    names = (
        {
            row["id"]: row["display_name"]
            for row in await Account.select(Account.id, Account.display_name).where(Account.id.is_in(list(by_owner)))
        }
        if by_owner
        else {}
    )
    return [
        SharingWorkerOut(
            worker_id=owner,
            display_name=names.get(owner, ""),
            shares=len(owner_shares),
            organisation_ids=sorted({share["organisation"] for share in owner_shares}, key=str),
        )
        for owner, owner_shares in sorted(by_owner.items(), key=lambda item: (names.get(item[0], ""), str(item[0])))
    ]


async def shared_with(viewer: UUID, worker: UUID) -> list[Entry]:
    """The worker's live entries shared with the viewer, most recent first."""
    shares = await visible_shares(viewer, worker)
    if not shares:
        raise NotFound("No worker shares evidence with you under this id.")
    entries = (await shared_entries(shares))[worker]
    return sorted(entries, key=lambda entry: (entry.occurred_on, entry.id), reverse=True)


async def shared_page(
    viewer: UUID, worker: UUID, occurred_from: date | None, occurred_to: date | None, cursor: str | None, limit: int
) -> bytes:
    """A ``SharedEvidencePage``, as JSON (entries encoded as everywhere, by :mod:`cpl.evidence.mapping`)."""
    entries = [
        entry
        for entry in await shared_with(viewer, worker)
        if (occurred_from is None or entry.occurred_on >= occurred_from)
        and (occurred_to is None or entry.occurred_on <= occurred_to)
    ]
    if cursor:
        after_date, after_id = after_keyset(cursor, date.fromisoformat)
        after = (after_date, str(after_id))
        entries = [entry for entry in entries if (entry.occurred_on, entry.id) < after]
    page = entries[:limit]
    rows = await repository.entries_by_ids([UUID(entry.id) for entry in page])
    by_id = {str(row["id"]): row for row in rows}
    return answer_json(
        {
            "items": [entry_document(by_id[entry.id]) for entry in page if entry.id in by_id],
            "next_cursor": keyset_cursor(page[-1].occurred_on, page[-1].id) if len(entries) > limit else None,
        }
    )


async def viewer_capacity(viewer: UUID, owner: UUID) -> dict[str, str]:
    """In which organisation and role ``viewer`` sees ``owner``'s shared record (for the audit log):
    as their supervisor when a share names them, else in their role in the organisation shared with."""
    shares = await visible_shares(viewer, owner)
    if not shares:
        return {}
    share = next((share for share in shares if share["supervisor"] == viewer), shares[0])
    organisation, roles = await member_organisation(viewer, share["organisation"])
    if share["supervisor"] == viewer:
        role = "supervisor"
    else:
        role = next((role for role in ORGANISATION_VIEWERS if role in roles), "")
    return {"organisation": organisation["name"], "role": role}


async def shared_entry(settings: Settings, viewer: UUID, entry_id: UUID) -> tuple[UUID, bytes]:
    """The entry's owner, and a ``SharedEntryOut`` as JSON (the entry encoded as everywhere, by
    :mod:`cpl.evidence.mapping`), each file with a short-lived link for this viewer
    (:mod:`cpl.sharing.file_links`)."""
    row = await visible_entry(viewer, entry_id)
    attachments = await entry_attachments(row["owner"], entry_id)
    links = await entry_links(row["owner"], entry_id)
    key = await link_key(settings)
    return row["owner"], answer_json(
        {
            "worker_id": row["owner"],
            "entry": entry_document(row),
            "content_hash": row["content_hash"],
            "attachments": [
                SharedAttachmentOut(
                    id=item["id"],
                    filename=item["filename"],
                    media_type=item["media_type"],
                    size=item["size"],
                    sha256=item["sha256"],
                    created_at=item["created_at"],
                    view_url=file_link(key, settings, viewer, entry_id, item["id"]),
                )
                for item in attachments
            ],
            "competence_links": links.links,
        }
    )
