"""Organisations, members and supervision made through the API, for the tests of issue 6."""

from __future__ import annotations

from dataclasses import dataclass

from httpx import AsyncClient

from tests.factories import enrol_second_factor, put_entry, sign_up

#: Roles that act only from a session opened with a second factor (issue 14): the helpers enrol them.
SIGNING_OFF_ROLES = ("admin", "supervisor")


async def account(client: AsyncClient, name: str) -> tuple[dict[str, str], dict]:
    """A new account: its Authorization header and its ``/v1/me``."""
    headers = await sign_up(client, display_name=name)
    return headers, (await client.get("/v1/me", headers=headers)).json()


async def organisation(
    client: AsyncClient, admin: dict[str, str], kind: str = "employer", name: str = "Riverside Care"
) -> str:
    """A new organisation; its admin (the creator) gets a second factor, as administering needs one."""
    response = await client.post("/v1/organisations", json={"name": name, "kind": kind}, headers=admin)
    assert response.status_code == 201, response.text
    await enrol_second_factor(client, admin)
    return response.json()["id"]


async def join(
    client: AsyncClient, admin: dict[str, str], organisation_id: str, member: dict[str, str], role: str
) -> None:
    """Invite the member's e-mail to the role, and accept as the member; an admin or a supervisor
    gets a second factor, as their role needs one."""
    email = (await client.get("/v1/me", headers=member)).json()["email"]
    invited = await client.post(
        f"/v1/organisations/{organisation_id}/invitations", json={"email": email, "role": role}, headers=admin
    )
    assert invited.status_code == 201, invited.text
    accepted = await client.post(f"/v1/invitations/{invited.json()['id']}/accept", headers=member)
    assert accepted.status_code == 200, accepted.text
    if role in SIGNING_OFF_ROLES:
        await enrol_second_factor(client, member)


async def supervise(
    client: AsyncClient, admin: dict[str, str], organisation_id: str, supervisor_id: str, worker_id: str
) -> str:
    response = await client.post(
        f"/v1/organisations/{organisation_id}/supervision-links",
        json={"supervisor_id": supervisor_id, "worker_id": worker_id},
        headers=admin,
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def share(client: AsyncClient, worker: dict[str, str], organisation_id: str, **body) -> dict:
    response = await client.post("/v1/shares", json={"organisation_id": organisation_id, **body}, headers=worker)
    assert response.status_code == 201, response.text
    return response.json()


@dataclass
class Team:
    """An employer with an admin, a supervisor supervising a worker, and one entry of the worker's."""

    organisation_id: str
    admin: dict[str, str]
    supervisor: dict[str, str]
    supervisor_id: str
    worker: dict[str, str]
    worker_id: str
    entry: dict


async def team(client: AsyncClient) -> Team:
    admin, _ = await account(client, "Ada Admin")
    supervisor, supervisor_me = await account(client, "Sam Supervisor")
    worker, worker_me = await account(client, "Wren Worker")
    organisation_id = await organisation(client, admin)
    await join(client, admin, organisation_id, supervisor, "supervisor")
    await join(client, admin, organisation_id, worker, "worker")
    await supervise(client, admin, organisation_id, supervisor_me["id"], worker_me["id"])
    entry = await put_entry(client, worker)
    return Team(organisation_id, admin, supervisor, supervisor_me["id"], worker, worker_me["id"], entry)
