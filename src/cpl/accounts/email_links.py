"""One-time links mailed to an address: confirm it, reset a password, accept an invitation.

Rules (OWASP Forgot Password Cheat Sheet; NIST SP 800-63B §5.1.3 for out-of-band secrets):
- A link's token is 256 random bits, in the mail only; the database keeps its SHA-256, so a
  copy of the database follows no link.
- A link works once, until it expires; issuing a new link of the same purpose for the same
  account (or invitation) ends the older ones. Following it is one atomic update, so two
  concurrent follows cannot both succeed.
- Looking a link up (:func:`peek`, for the page a GET shows) does not use it: mail scanners
  fetch links before people do.
- At most ``email_links_per_address_per_hour`` links go to one address in an hour.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode
from uuid import UUID, uuid4

from cpl.accounts.tables import EmailLink
from cpl.errors import Gone, NotFound
from cpl.kernel import clock
from cpl.settings import Settings

CONFIRM_EMAIL = "confirm_email"
RESET_PASSWORD = "reset_password"
INVITATION = "invitation"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_url(settings: Settings, path: str, token: str) -> str:
    """The absolute link, built from ``CPL_PUBLIC_BASE_URL`` (never from the request's Host)."""
    return f"{settings.public_base_url.rstrip('/')}{path}?{urlencode({'token': token})}"


async def issue(
    purpose: str, email: str, ttl: timedelta, *, account: UUID | None = None, subject: UUID | None = None
) -> str:
    """A new link (inside the caller's transaction); returns the token, for the mail only."""
    now = clock.now()
    owner = (EmailLink.account == account) if account is not None else (EmailLink.subject == subject)
    await EmailLink.update({EmailLink.used_at: now}).where(
        (EmailLink.purpose == purpose) & owner & EmailLink.used_at.is_null()
    )
    token = secrets.token_urlsafe(32)
    await EmailLink.insert(
        EmailLink(
            id=uuid4(),
            purpose=purpose,
            token_hash=token_hash(token),
            email=email,
            account=account,
            subject=subject,
            expires_at=now + ttl,
        )
    )
    return token


async def _refusal(purpose: str, hashed: str) -> Exception:
    row = (
        await EmailLink.select(EmailLink.used_at)
        .where((EmailLink.token_hash == hashed) & (EmailLink.purpose == purpose))
        .first()
    )
    if row is None:
        return NotFound("This link is not known. Check that it was copied whole.")
    if row["used_at"] is not None:
        return Gone("This link has been used already (or a newer one replaced it). Ask for a new one.")
    return Gone("This link has expired. Ask for a new one.")


async def peek(purpose: str, token: str) -> dict[str, Any]:
    """The link, if it still works; nothing is used up."""
    hashed = token_hash(token)
    row = (
        await EmailLink.select()
        .where(
            (EmailLink.token_hash == hashed)
            & (EmailLink.purpose == purpose)
            & EmailLink.used_at.is_null()
            & (EmailLink.expires_at > clock.now())
        )
        .first()
    )
    if row is None:
        raise await _refusal(purpose, hashed)
    return row


async def redeem(purpose: str, token: str) -> dict[str, Any]:
    """Use the link up (inside the caller's transaction) and return it; refused if it no longer works."""
    hashed = token_hash(token)
    now = clock.now()
    rows = await (
        EmailLink.update({EmailLink.used_at: now})
        .where(
            (EmailLink.token_hash == hashed)
            & (EmailLink.purpose == purpose)
            & EmailLink.used_at.is_null()
            & (EmailLink.expires_at > now)
        )
        .returning(EmailLink.id, EmailLink.email, EmailLink.account, EmailLink.subject)
    )
    if not rows:
        raise await _refusal(purpose, hashed)
    return rows[0]


async def may_send_to(settings: Settings, email: str) -> bool:
    """Whether another confirmation or reset link may go to the address this hour (invitations,
    sent by an organisation's admin, do not count)."""
    sent = await EmailLink.count().where(
        (EmailLink.email == email)
        & (EmailLink.purpose != INVITATION)
        & (EmailLink.created_at > clock.now() - timedelta(hours=1))
    )
    return sent < settings.email_links_per_address_per_hour
