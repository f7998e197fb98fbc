"""Share links: one export, for an employer or a regulator, until it expires or is revoked.

Rules:
- A link carries 256 random bits; only their SHA-256 is kept, so a copy of the database
  opens nothing. The URL is shown once, when the link is made.
- A link expires (``expires_at``, or ``ttl_hours`` from now, at most ``share_max_ttl``;
  by default ``share_default_ttl``); the worker can revoke it sooner. An expired or revoked
  link, or one to a revoked export, answers 410.
- An optional passcode (stored as an argon2id hash) is asked of whoever opens the link, in the
  ``X-Share-Passcode`` header or the ``passcode`` field of a form ``POST``, never in the
  address (addresses are logged and kept in browser history). A missing or wrong one answers
  403; guessing is throttled per link and per client address (:mod:`cpl.exports.passcodes`).
- Every use of a link, granted or refused, is recorded (time, address, user agent,
  outcome) and listed to the worker with the link.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from cpl.accounts.passwords import hash_password
from cpl.errors import Gone, NotFound, PasscodeRefused, TooManyAttempts, invalid_field
from cpl.exports.passcodes import check_passcode
from cpl.exports.schemas import AccessOut, ShareCreatedOut, ShareIn, ShareOut
from cpl.exports.service import finished_export, owned_export
from cpl.exports.tables import Export, ExportAccess, ExportShare
from cpl.kernel import clock
from cpl.settings import Settings

SHARE_PATH = "/shared/"
#: Where a passcode may be sent.
PASSCODE_PLACES = "send it in the X-Share-Passcode header, or as the form field `passcode` in a POST to the link"


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _expiry(settings: Settings, data: ShareIn) -> datetime:
    now = clock.now()
    if data.expires_at is not None:
        expires = data.expires_at
    else:
        expires = now + (timedelta(hours=data.ttl_hours) if data.ttl_hours else settings.share_default_ttl)
    if not now < expires <= now + settings.share_max_ttl:
        days = settings.share_max_ttl.days
        field = "ttl_hours" if data.ttl_hours else "expires_at"
        message = f"must be in the future and at most {days} days away"
        raise invalid_field(field, message)
    # Converted only once in range: a time in year 1 or 9999 may have no UTC equivalent.
    return expires.astimezone(UTC)


def share_out(row: dict[str, Any], accesses: list[dict[str, Any]]) -> ShareOut:
    return ShareOut(
        id=row["id"],
        export_id=row["export"],
        label=row["label"],
        expires_at=row["expires_at"],
        revoked_at=row["revoked_at"],
        has_passcode=bool(row["passcode_hash"]),
        created_at=row["created_at"],
        accesses=[
            AccessOut(at=item["at"], address=item["address"], user_agent=item["user_agent"], outcome=item["outcome"])
            for item in accesses
        ],
    )


async def create_share(
    settings: Settings, owner: UUID, export_id: UUID, data: ShareIn, token: str | None = None
) -> ShareCreatedOut:
    """A new link; ``token`` is given only by a domain that derives it rather than keeping it
    (:mod:`cpl.audit_requests.links`), else 256 random bits."""
    row = await finished_export(owner, export_id)
    if row["revoked_at"] is not None:
        raise Gone("The export is revoked; make a new export to share.")
    expires = _expiry(settings, data)
    token = token or secrets.token_urlsafe(32)
    share = {
        "id": uuid4(),
        "export": export_id,
        "token_hash": _token_hash(token),
        "label": data.label,
        "passcode_hash": await hash_password(settings, data.passcode) if data.passcode else "",
        "expires_at": expires,
        "revoked_at": None,
        "created_at": clock.now(),
    }
    await ExportShare.insert(ExportShare(**share))
    url = f"{settings.public_base_url.rstrip('/')}{SHARE_PATH}{token}"
    return ShareCreatedOut(
        **{name: getattr(share_out(share, []), name) for name in ShareOut.__struct_fields__}, url=url
    )


async def list_shares(owner: UUID, export_id: UUID) -> list[ShareOut]:
    await owned_export(owner, export_id)
    shares = await ExportShare.select().where(ExportShare.export == export_id).order_by(ExportShare.created_at)
    accesses: dict[UUID, list[dict]] = {row["id"]: [] for row in shares}
    if shares:
        rows = await ExportAccess.select().where(ExportAccess.share.is_in(list(accesses))).order_by(ExportAccess.id)
        for row in rows:
            accesses[row["share"]].append(row)
    return [share_out(row, accesses[row["id"]]) for row in shares]


async def revoke_share(owner: UUID, export_id: UUID, share_id: UUID) -> None:
    """Stop a link working; revoking twice is fine."""
    await owned_export(owner, export_id)
    found = (
        await ExportShare.select(ExportShare.id)
        .where((ExportShare.id == share_id) & (ExportShare.export == export_id))
        .first()
    )
    if found is None:
        raise NotFound("No share link with this id on this export.")
    await ExportShare.update({ExportShare.revoked_at: clock.now()}).where(
        (ExportShare.id == share_id) & ExportShare.revoked_at.is_null()
    )


async def _record(share_id: UUID, address: str, user_agent: str, outcome: str) -> None:
    await ExportAccess.insert(
        ExportAccess(share=share_id, address=address[:64], user_agent=user_agent[:300], outcome=outcome)
    )


async def _refusal(
    settings: Settings, share: dict[str, Any], export: dict[str, Any], passcode: str | None, address: str
) -> tuple[str, Exception] | None:
    """Why this use of the link is refused (the outcome to record and the error), or None."""
    if gone := _gone(share, export):
        return gone
    if not share["passcode_hash"]:
        return None
    if not passcode:
        return "passcode_required", PasscodeRefused(f"This link needs its passcode: {PASSCODE_PLACES}.")
    try:
        await check_passcode(settings, share, passcode, address)
    except TooManyAttempts as refused:
        return "throttled", refused
    except PasscodeRefused as wrong:
        return "wrong_passcode", wrong
    return None


async def find_share(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The link's share and its export, whatever their state; 404 for a token no link has."""
    share = await ExportShare.select().where(ExportShare.token_hash == _token_hash(token)).first()
    if share is None:
        raise NotFound("No share link like this exists.")
    export = await Export.select().where(Export.id == share["export"]).output(load_json=True).first()
    return share, export


def _gone(share: dict[str, Any], export: dict[str, Any]) -> tuple[str, Gone] | None:
    """Why a link no longer works (revoked, expired, or its export revoked), as an outcome and a 410."""
    if share["revoked_at"] is not None or export["revoked_at"] is not None:
        return "revoked", Gone("This share link has been withdrawn.")
    if share["expires_at"] <= clock.now():
        return "expired", Gone("This share link has expired; ask for a new one.")
    return None


def check_usable(share: dict[str, Any], export: dict[str, Any]) -> None:
    """410 for a link that was revoked, has expired, or leads to a revoked export."""
    if gone := _gone(share, export):
        raise gone[1]


async def open_share(
    settings: Settings, token: str, passcode: str | None, address: str, user_agent: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The share and the export a link gives, once the link and passcode are checked; every use is recorded."""
    share, export = await find_share(token)
    refusal = await _refusal(settings, share, export, passcode, address)
    await _record(share["id"], address, user_agent, refusal[0] if refusal else "granted")
    if refusal:
        raise refusal[1]
    return share, export
