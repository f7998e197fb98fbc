"""The team view and the review queue say whether the organisation is vetted now (issue 14, item 2)."""

from __future__ import annotations

from tests.organisations.operators import operator, vet
from tests.reviews.helpers import submitted


async def test_the_team_view_and_queue_show_the_organisations_standing_now(client, settings):
    t, made = await submitted(client)
    [member] = (await client.get("/v1/team", headers=t.supervisor)).json()["members"]
    assert (member["organisation_vetted"], member["organisation_standing"]) == (False, "self-declared organisation")
    [queued] = (await client.get("/v1/reviews", headers=t.supervisor)).json()["items"]
    assert queued["id"] == made["id"] and queued["organisation_vetted"] is False

    op, _ = await operator(client, settings)
    await vet(client, op, t.organisation_id)
    [member] = (await client.get("/v1/team", headers=t.supervisor)).json()["members"]
    assert (member["organisation_vetted"], member["organisation_standing"]) == (True, "vetted organisation")
    [mine] = (await client.get("/v1/reviews/submitted", headers=t.worker)).json()["items"]
    assert mine["organisation_vetted"] is True
