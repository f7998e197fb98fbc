"""Changing the address of an account (issue 14, item 1).

Rules:
- Asking needs the current password. The new address takes effect only when the link mailed to
  it is followed (:func:`cpl.accounts.signup.confirm_email`); until then the account keeps its
  old address, verified or not. The old address is told of the request at once, so a person
  whose session was stolen hears of it.
- The answer is the same whether or not the new address has an account; if it has one, no
  link is sent and that address's owner is told someone tried to take it.
"""

from __future__ import annotations

from cpl.accounts import email_links
from cpl.accounts.recovery import check_password
from cpl.accounts.signup import queue_confirmation
from cpl.accounts.tables import Account
from cpl.db import write_transaction
from cpl.errors import TooManyAttempts, invalid_field
from cpl.kernel.principal import Principal
from cpl.mail import queue_mail, send_queued
from cpl.settings import Settings


async def request_change(
    settings: Settings, caller: Principal, new_email: str, password: str, client_address: str
) -> None:
    await check_password(settings, caller, password, client_address)
    async with write_transaction():
        me = await Account.select(Account.email, Account.display_name).where(Account.id == caller.account_id).first()
        if new_email == me["email"]:
            raise invalid_field("email", "this is already your address")
        if not await email_links.may_send_to(settings, new_email):
            raise TooManyAttempts(
                "Several links have gone to this address in the last hour; wait a while, then ask again.",
                headers={"Retry-After": "3600"},
            )
        if await Account.exists().where(Account.email == new_email):
            to_new = await queue_mail(
                new_email, "address_taken", service=settings.service_name, base=settings.public_base_url.rstrip("/")
            )
        else:
            to_new = await queue_confirmation(
                settings, caller.account_id, new_email, me["display_name"], "confirm_new_address"
            )
        to_old = await queue_mail(
            me["email"], "address_change_requested", new_email=new_email, service=settings.service_name
        )
    await send_queued(settings, [to_new, to_old])
