"""A worker's exports: queue one, follow it, download it, revoke it, and what a verifier is shown.

Rules:
- An export is its owner's alone: anyone else's id answers "not found".
- Only a ``done`` export can be downloaded, shared or revoked; before that the answer is 409.
- Revoking is for good (a revoked export never becomes valid again); revoking twice is fine.
- An erased worker's exports are withdrawn: their files are deleted and ``/verify`` answers 410
  "withdrawn" for the ids that had been issued (done), nothing else being kept.
- Status for a verifier: ``revoked`` once revoked, else ``superseded`` once a later export of
  the same selection and format has completed, else ``valid``. Queued, running and failed
  exports have nothing to verify and answer "not found" there.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from piccolo.query.functions.aggregate import Count

from cpl.accounts.events import AccountErased
from cpl.accounts.tables import Account
from cpl.attachments.tables import StorageGarbage
from cpl.errors import Conflict, Gone, NotFound
from cpl.exports.formats import export_options
from cpl.exports.portfolio import record_key
from cpl.exports.schemas import (
    ExportIn,
    ExportOptionsOut,
    ExportOut,
    IssuerOut,
    PeriodOut,
    ProgressOut,
    VerificationOut,
)
from cpl.exports.selection import check_selection, selection_key
from cpl.exports.tables import Export, ExportAccess, ExportShare, WithdrawnExport
from cpl.exports.verifiers import verifiers_out
from cpl.kernel import clock
from cpl.request_log import REQUEST_ID
from cpl.settings import Settings
from cpl.signing import issuer_did

JWKS_PATH = "/.well-known/jwks.json"


def validity(row: dict[str, Any]) -> str:
    if row["revoked_at"] is not None:
        return "revoked"
    return "superseded" if row["superseded_by"] is not None else "valid"


def export_out(row: dict[str, Any], settings: Settings) -> ExportOut:
    base = settings.public_base_url.rstrip("/")
    done = row["status"] == "done"
    return ExportOut(
        id=row["id"],
        format=row["format"],
        selection=row["selection"],
        options=ExportOptionsOut(**export_options(row)),
        status=row["status"],
        progress=ProgressOut(done=row["progress_done"], total=row["progress_total"]),
        error=row["error"],
        size=row["size"],
        sha256=row["sha256"],
        signed_at=row["signed_at"],
        kid=row["kid"],
        revoked_at=row["revoked_at"],
        superseded_by=row["superseded_by"],
        created_at=row["created_at"],
        finished_at=row["finished_at"],
        download_url=f"/v1/exports/{row['id']}/download" if done else None,
        verify_url=f"{base}/verify/{row['id']}",
    )


async def create_export(owner: UUID, data: ExportIn) -> dict[str, Any]:
    """Queue an export of the selection; refused (422, naming the field) if it names what is not the worker's."""
    await check_selection(owner, data)
    row = Export(
        id=uuid4(),
        owner=owner,
        format=data.format,
        selection=data.selection.model_dump(mode="json", by_alias=True),
        options=data.options.model_dump(mode="json"),
        selection_key=selection_key(data),
        status="queued",
        request_id=REQUEST_ID.get(),
        created_at=clock.now(),
    )
    await Export.insert(row)
    return await owned_export(owner, row.id)


async def owned_export(owner: UUID, export_id: UUID) -> dict[str, Any]:
    row = await Export.select().where(Export.id == export_id).output(load_json=True).first()
    if row is None or row["owner"] != owner:
        raise NotFound("No export with this id.")
    return row


async def finished_export(owner: UUID, export_id: UUID) -> dict[str, Any]:
    row = await owned_export(owner, export_id)
    if row["status"] != "done":
        raise Conflict(f"The export is {row['status']}; it can be used once it is done.")
    return row


async def list_exports(owner: UUID) -> list[dict[str, Any]]:
    return (
        await Export.select()
        .where(Export.owner == owner)
        .order_by(Export.created_at, ascending=False)
        .limit(200)
        .output(load_json=True)
    )


async def revoke_export(owner: UUID, export_id: UUID) -> dict[str, Any]:
    """Withdraw an export: its verification page says ``revoked`` and its share links stop working."""
    row = await finished_export(owner, export_id)
    if row["revoked_at"] is None:
        await Export.update({Export.revoked_at: clock.now()}).where(
            (Export.id == export_id) & Export.revoked_at.is_null()
        )
    return await owned_export(owner, export_id)


async def verification(settings: Settings, export_id: UUID) -> VerificationOut:
    """What anyone holding the export id (the QR code on every page) is told about it."""
    row = (
        await Export.select().where((Export.id == export_id) & (Export.status == "done")).output(load_json=True).first()
    )
    if row is None:
        if await WithdrawnExport.exists().where(WithdrawnExport.id == export_id):
            raise Gone("This export was withdrawn: the worker's account has been erased. Do not rely on it.")
        raise NotFound("No export with this id has been issued here.")
    worker = await Account.select(Account.display_name).where(Account.id == row["owner"]).first()
    base = settings.public_base_url.rstrip("/")
    return VerificationOut(
        export_id=row["id"],
        status=validity(row),
        issuer=IssuerOut(name=settings.service_name, did=issuer_did(settings), url=base),
        subject=worker["display_name"] if worker else "",
        period=PeriodOut(starts_on=row["period_from"], ends_on=row["period_to"]),
        format=row["format"],
        sha256=row["sha256"],
        size=row["size"],
        signed_at=row["signed_at"],
        kid=row["kid"],
        signature=row["signature"],
        jwks_url=f"{base}{JWKS_PATH}",
        revoked_at=row["revoked_at"],
        superseded=row["superseded_by"] is not None,
        verifiers=None if row["verifiers"] is None else verifiers_out(row["verifiers"]),
    )


async def withdraw_owner_exports(erased: AccountErased) -> None:
    """The person's exports go with their files, share links and access log (GDPR Art. 17); the
    ids of those that were issued stay as withdrawn, for verifiers holding a copy."""
    rows = await Export.select(Export.id, Export.status, Export.storage_key).where(Export.owner == erased.account_id)
    if not rows:
        return
    ids = [row["id"] for row in rows]
    issued = [WithdrawnExport(id=row["id"], withdrawn_at=clock.now()) for row in rows if row["status"] == "done"]
    if issued:
        await WithdrawnExport.insert(*issued)
    keys = [row["storage_key"] for row in rows if row["storage_key"]]
    keys += [record_key(row["id"]) for row in rows if row["status"] == "done"]  # the portfolio's copy
    if keys:
        await StorageGarbage.insert(*[StorageGarbage(object_key=key) for key in keys])
    shares = [row["id"] for row in await ExportShare.select(ExportShare.id).where(ExportShare.export.is_in(ids))]
    if shares:
        await ExportAccess.delete().where(ExportAccess.share.is_in(shares))
        await ExportShare.delete().where(ExportShare.id.is_in(shares))
    await Export.delete().where(Export.id.is_in(ids))


async def exports_data(owner: UUID) -> list[dict[str, Any]]:
    """The person's exports and their share links (labels, dates; never token or passcode hashes)."""
    rows = (
        await Export.select(
            Export.id,
            Export.format,
            Export.selection,
            Export.status,
            Export.sha256,
            Export.created_at,
            Export.revoked_at,
        )
        .where(Export.owner == owner)
        .output(load_json=True)
    )
    links = await ExportShare.select(
        ExportShare.id, ExportShare.export, ExportShare.label, ExportShare.expires_at, ExportShare.revoked_at
    ).where(ExportShare.export.is_in([row["id"] for row in rows] or [None]))
    return [{**row, "share_links": [link for link in links if link["export"] == row["id"]]} for row in rows]


async def jobs_by_status() -> dict[str, int]:
    """How many exports are in each status: the queue's depth, for the operators' metrics."""
    rows = await Export.select(Export.status, Count(alias="jobs")).group_by(Export.status)
    return {row["status"]: row["jobs"] for row in rows}
