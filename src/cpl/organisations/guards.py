"""Admins administer only from a session opened with their second factor (issue 14, item 3).

A guard rather than a check in each service: it needs the caller's session, which the services
(given only the account id) do not see. It refuses only a caller who *is* an admin of the
organisation in the path; anyone else goes on to the service, which answers 404 or 403 as before,
so a worker is never told to enrol a second factor for something they may not do anyway.
"""

from __future__ import annotations

from uuid import UUID

from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler

from cpl.accounts import require_second_factor
from cpl.organisations.service import active_roles


async def admins_use_second_factor(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """Refuse an admin of the organisation whose session was not opened with a second factor.

    ``OPTIONS`` (which lists the path's methods, with no token) is nobody's administering."""
    if connection.scope["method"] == "OPTIONS":
        return
    organisation = connection.path_params.get("organisation_id")
    if isinstance(organisation, UUID) and "admin" in await active_roles(connection.user.account_id, organisation):
        await require_second_factor(connection.user)
