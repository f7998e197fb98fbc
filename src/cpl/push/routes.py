"""HTTP routes: the VAPID public key (public), and my devices' push subscriptions."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody

from cpl import audit
from cpl.accounts.auth import PUBLIC
from cpl.kernel.principal import AuthedRequest
from cpl.problems import problem_responses
from cpl.push import service
from cpl.push.schemas import PushKeyOut, PushSubscriptionIn, PushSubscriptionOut
from cpl.settings import Settings


class PushKeyController(Controller):
    path = "/v1/push"
    tags = ["push"]

    @get("/key", operation_id="getPushKey", opt={PUBLIC: True}, responses=problem_responses(503))
    async def key(self, settings: NamedDependency[Settings]) -> PushKeyOut:
        """The service's VAPID public key (RFC 8292): the ``applicationServerKey`` a browser subscribes
        with. The same on every node; it changes only when the operator replaces the key."""
        return await service.public_key(settings)


class PushSubscriptionController(Controller):
    path = "/v1/me/push-subscriptions"
    tags = ["push"]

    @post(
        "",
        operation_id="subscribeToPush",
        status_code=201,
        responses={
            200: ResponseSpec(PushSubscriptionOut, description="This device was subscribed already: updated"),
            **problem_responses(400, 401, 413, 422),
        },
    )
    async def subscribe(
        self, request: AuthedRequest, data: JSONBody[PushSubscriptionIn], settings: NamedDependency[Settings]
    ) -> Response[PushSubscriptionOut]:
        """Receive my notifications on this device: the browser's ``PushSubscription`` as ``toJSON()``
        gives it (201). The same endpoint again is the same device, updated (200). The endpoint must be
        an ``https://`` URL on a push service's DNS name; ``keys.p256dh`` an uncompressed P-256 point
        and ``keys.auth`` 16 bytes, both base64url (RFC 8291)."""
        subscription, created = await service.subscribe(settings, request.user.account_id, data)
        await audit.record(
            request,
            "push.subscribed",
            subject=request.user.account_id,
            object=f"push_subscription:{subscription.id}",
        )
        return Response(subscription, status_code=201 if created else 200)

    @get("", operation_id="listMyPushSubscriptions", responses=problem_responses(401))
    async def list_mine(self, request: AuthedRequest) -> list[PushSubscriptionOut]:
        """My devices that receive notifications, oldest first."""
        return await service.my_subscriptions(request.user.account_id)

    @delete(
        "/{subscription_id:uuid}",
        operation_id="unsubscribeFromPush",
        status_code=204,
        responses=problem_responses(401, 404),
    )
    async def unsubscribe(self, request: AuthedRequest, subscription_id: FromPath[UUID]) -> None:
        """Stop pushing to this device (push turned off on it)."""
        await service.unsubscribe(request.user.account_id, subscription_id)
        await audit.record(
            request, "push.unsubscribed", subject=request.user.account_id, object=f"push_subscription:{subscription_id}"
        )
