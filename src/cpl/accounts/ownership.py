"""E-mail ownership: what an account may do only once it has proved it receives mail at its address.

Rules (issue 14, item 1):
- Signing up sends a link to the address; following it marks the address verified. So does
  following a password-reset link or an invitation's link (each proves the same mailbox).
- An unverified account logs evidence like any other: a worker is never kept from writing.
- It may not see, accept or decline invitations, administer invitations, be linked as a
  supervisor, or verify anyone's entry: those refuse with 403 "E-mail address not verified".
- The verified address is read from the database on every such check, never from a cached
  session, so a change of address counts at once.
"""

from __future__ import annotations

from uuid import UUID

from cpl.accounts.tables import Account
from cpl.errors import EmailNotVerified
from cpl.kernel import clock

VERIFY_FIRST = (
    "Confirm your e-mail address first: follow the link cpl mailed you (ask for a new one with "
    "POST /v1/me/email-verification)."
)


async def verified_email(account: UUID) -> str | None:
    """The account's address, if verified."""
    row = (
        await Account.select(Account.email)
        .where((Account.id == account) & Account.email_verified_at.is_not_null())
        .first()
    )
    return row["email"] if row else None


async def require_verified_email(account: UUID, detail: str = VERIFY_FIRST) -> str:
    """The account's verified address, or 403 with ``detail``."""
    email = await verified_email(account)
    if email is None:
        raise EmailNotVerified(detail)
    return email


async def mark_email_verified(account: UUID, email: str) -> None:
    """The account proved it receives mail at ``email`` (its current address); kept if already verified."""
    await Account.update({Account.email_verified_at: clock.now()}).where(
        (Account.id == account) & (Account.email == email) & Account.email_verified_at.is_null()
    )
