"""The requirements routes are documented: operation ids, error statuses, response schemas."""

from __future__ import annotations

from litestar import Litestar
from litestar.di import Provide

from cpl.kernel.events import EventBus
from cpl.requirements import (
    GapExplanationController,
    PeerDiscussionController,
    ProgressController,
    RegistrationController,
    RequirementPackController,
    SignOffs,
)
from cpl.reviews import current_verifications

CONTROLLERS = [
    RequirementPackController,
    RegistrationController,
    GapExplanationController,
    ProgressController,
    PeerDiscussionController,
]


def test_every_requirements_route_has_an_operation_id_and_documents_401(settings):
    events = EventBus(in_transaction=lambda: True)  # the document only: nothing is published
    dependencies = {
        "settings": Provide(lambda: settings, use_cache=True, sync_to_thread=False),
        "sign_offs": Provide(lambda: SignOffs(current_verifications), use_cache=True, sync_to_thread=False),
        "events": Provide(lambda: events, use_cache=True, sync_to_thread=False),
    }
    document = Litestar(route_handlers=CONTROLLERS, dependencies=dependencies).openapi_schema.to_schema()
    operations = [operation for item in document["paths"].values() for operation in item.values()]
    assert len(operations) == 13
    assert all(operation["operationId"] and "401" in operation["responses"] for operation in operations)
    progress = document["paths"]["/v1/me/progress"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert progress["$ref"].endswith("ProgressOut")
    assert {"RuleProgress", "GapOut", "HcpcProfile", "NmcProfile"} <= set(document["components"]["schemas"])
