"""The one encoder of an audit request (src/cpl/README.md: one encoder per resource)."""

from __future__ import annotations

from typing import Any

from cpl.audit_requests import links
from cpl.audit_requests.schemas import AuditRequestOut, AuditResponseOut
from cpl.exports.schemas import PeriodOut
from cpl.exports.service import export_out, owned_export
from cpl.exports.shares import SHARE_PATH, list_shares
from cpl.kernel import clock
from cpl.kernel.registers import SELF_DECLARED, VETTED
from cpl.organisations import vetted_now
from cpl.settings import Settings

#: States in which the request waits for the worker.
WAITING = ("requested", "more_information_needed")


def is_overdue(row: dict[str, Any]) -> bool:
    """Waiting for the worker after its deadline day (UTC) has ended."""
    return row["state"] in WAITING and clock.now().date() > row["deadline"]


def request_out(row: dict[str, Any], vetted: bool, response: AuditResponseOut | None = None) -> AuditRequestOut:
    return AuditRequestOut(
        id=row["id"],
        organisation_id=row["organisation"],
        organisation_name=row["organisation_name"],
        organisation_standing=VETTED if vetted else SELF_DECLARED,
        auditor_name=row["auditor_name"],
        worker_email=row["worker_email"],
        register=row["register"],
        period=PeriodOut(starts_on=row["period_from"], ends_on=row["period_to"]),
        deadline=row["deadline"],
        message=row["message"],
        state=row["state"],
        overdue=is_overdue(row),
        export_id=row["export"],
        responded_at=row["responded_at"],
        worker_note=row["worker_note"],
        decided_at=row["decided_at"],
        outcome_note=row["outcome_note"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        response=response,
    )


async def requests_out(rows: list[dict[str, Any]]) -> list[AuditRequestOut]:
    vetted = await vetted_now([row["organisation"] for row in rows])
    return [request_out(row, vetted[row["organisation"]]) for row in rows]


async def auditor_out(settings: Settings, row: dict[str, Any]) -> AuditRequestOut:
    """The request as its auditors see it: with the answer to open."""
    vetted = await vetted_now([row["organisation"]])
    return request_out(row, vetted[row["organisation"]], await response_out(settings, row))


async def response_out(settings: Settings, row: dict[str, Any]) -> AuditResponseOut | None:
    """The answer as the auditors open it: the export, its share link and passcode (re-derived)."""
    if row["export"] is None or row["share"] is None or row["worker"] is None:
        return None
    export = export_out(await owned_export(row["worker"], row["export"]), settings)
    share = next(item for item in await list_shares(row["worker"], row["export"]) if item.id == row["share"])
    token = await links.share_token(settings, row["share_salt"])
    return AuditResponseOut(
        export_id=export.id,
        format=export.format,
        share_url=f"{settings.public_base_url.rstrip('/')}{SHARE_PATH}{token}",
        passcode=await links.share_passcode(settings, row["share_salt"]),
        expires_at=share.expires_at,
        withdrawn_at=share.revoked_at or export.revoked_at,
        sha256=export.sha256,
        verify_url=export.verify_url,
    )
