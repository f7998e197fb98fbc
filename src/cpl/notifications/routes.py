"""HTTP routes: my notifications."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post
from litestar.params import FromPath, QueryParameter

from cpl.kernel.principal import AuthedRequest
from cpl.notifications import service
from cpl.notifications.schemas import NotificationOut
from cpl.problems import problem_responses


class NotificationController(Controller):
    path = "/v1/notifications"
    tags = ["notifications"]

    @get("", operation_id="listMyNotifications", responses=problem_responses(400, 401, 422))
    async def list_mine(
        self,
        request: AuthedRequest,
        unread: Annotated[bool, QueryParameter(description="Only those not yet read")] = False,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
    ) -> list[NotificationOut]:
        """My notifications, newest first."""
        return await service.my_notifications(request.user.account_id, unread, limit)

    @post(
        "/{notification_id:uuid}/read",
        operation_id="markNotificationRead",
        status_code=200,
        responses=problem_responses(401, 404),
    )
    async def mark_read(self, request: AuthedRequest, notification_id: FromPath[UUID]) -> NotificationOut:
        """Mark one of my notifications as read."""
        return await service.mark_read(request.user.account_id, notification_id)
