"""A submitted review, made through the API."""

from __future__ import annotations

from tests.organisations.helpers import Team, share, team


async def submit(client, t: Team, **body) -> dict:
    """The team's worker shares their entry with their supervisor and submits it for review."""
    await share(client, t.worker, t.organisation_id, supervisor_id=t.supervisor_id, entry_ids=[t.entry["id"]])
    response = await client.post(
        "/v1/reviews",
        json={"entry_id": t.entry["id"], "reviewer_id": t.supervisor_id, "organisation_id": t.organisation_id, **body},
        headers=t.worker,
    )
    assert response.status_code == 201, response.text
    return response.json()


async def submitted(client) -> tuple[Team, dict]:
    """A new team whose worker submitted their entry for review, with a note."""
    t = await team(client)
    return t, await submit(client, t, note="Please check.")


async def review(client, headers, review_id: str) -> dict:
    response = await client.get(f"/v1/reviews/{review_id}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()
