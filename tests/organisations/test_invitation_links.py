"""Invitations bound to the invited address and accepted through its mailed link (issue 14, item 1).

The attack the issue reports: an admin invites ``new.hire@trust.example`` as admin; whoever
registered that address (even in advance) saw the invitation and accepted it. Now only the
person who receives mail there can.
"""

from __future__ import annotations

import asyncio

from cpl.accounts.tables import Account
from tests.factories import PASSWORD, confirm_address, sign_up
from tests.mailbox import last_mail_to, link_in, mails_to, token_of
from tests.organisations.helpers import account, join, organisation, share, team

ACCEPT = "/invitations/accept"
RESET = "/account/reset-password"
NEW_HIRE = "new.hire@trust.example"


async def invite(client, admin, organisation_id: str, email: str, role: str = "admin"):
    return await client.post(
        f"/v1/organisations/{organisation_id}/invitations", json={"email": email, "role": role}, headers=admin
    )


async def members(client, admin, organisation_id: str) -> set[tuple[str, str]]:
    listed = (await client.get(f"/v1/organisations/{organisation_id}/members", headers=admin)).json()
    return {(member["email"], member["role"]) for member in listed}


async def test_a_pre_registered_unverified_address_sees_and_accepts_nothing(client):
    attacker = await sign_up(client, NEW_HIRE, verified=False)  # registered before the invitation
    admin, _ = await account(client, "Ada Admin")
    employer = await organisation(client, admin, name="Trust")
    made = await invite(client, admin, employer, NEW_HIRE)
    assert made.status_code == 201
    listed = await client.get("/v1/invitations", headers=attacker)
    assert listed.status_code == 403
    assert listed.headers["content-type"] == "application/problem+json"
    assert listed.json()["title"] == "E-mail address not verified"
    accepted = await client.post(f"/v1/invitations/{made.json()['id']}/accept", headers=attacker)
    assert accepted.status_code == 403
    assert (await client.post(f"/v1/invitations/{made.json()['id']}/decline", headers=attacker)).status_code == 403
    assert (NEW_HIRE, "admin") not in await members(client, admin, employer)
    # Knowing the account's password is not enough: the link went to the mailbox, not to them.
    assert (await client.post(ACCEPT, data={"token": "guessed", "password": PASSWORD})).status_code == 404


async def test_a_verified_account_with_another_address_cannot_accept(client):
    admin, _ = await account(client, "Ada Admin")
    employer = await organisation(client, admin, name="Trust")
    made = (await invite(client, admin, employer, NEW_HIRE)).json()
    other = await sign_up(client, "someone.else@trust.example")
    assert (await client.get("/v1/invitations", headers=other)).json() == []
    assert (await client.post(f"/v1/invitations/{made['id']}/accept", headers=other)).status_code == 404
    # Even holding the link, the other account's password does not accept it for the invited address.
    token = token_of(link_in(last_mail_to(client.mailbox, NEW_HIRE), ACCEPT))
    refused = await client.post(ACCEPT, data={"token": token, "password": PASSWORD})
    assert refused.status_code == 401  # no account has the invited address yet
    assert (NEW_HIRE, "admin") not in await members(client, admin, employer)


async def test_the_real_owner_takes_the_address_back_and_accepts_through_the_link(client):
    attacker = await sign_up(client, NEW_HIRE, verified=False)
    admin, _ = await account(client, "Ada Admin")
    employer = await organisation(client, admin, name="Trust")
    await invite(client, admin, employer, NEW_HIRE)
    invitation_mail = last_mail_to(client.mailbox, NEW_HIRE)
    assert "Trust" in invitation_mail["Subject"]
    link = link_in(invitation_mail, ACCEPT)
    # The owner of the mailbox resets the password (the attacker is signed out) ...
    await client.post("/v1/auth/password-reset", json={"email": NEW_HIRE})
    reset = token_of(link_in(last_mail_to(client.mailbox, NEW_HIRE), RESET))
    assert (await client.post(RESET, data={"token": reset, "password": "the owner's own password"})).status_code == 200
    assert (await client.get("/v1/me", headers=attacker)).status_code == 401
    # ... and accepts through the link; opening it first changes nothing.
    shown = await client.get(link.removeprefix("http://localhost:8000"))
    assert shown.status_code == 200 and "Trust" in shown.text and NEW_HIRE in shown.text
    assert shown.headers["content-security-policy"].startswith("default-src 'none'")
    token = token_of(link)
    wrong = await client.post(ACCEPT, data={"token": token, "password": PASSWORD})
    assert wrong.status_code == 401 and "not right" in wrong.text
    accepted = await client.post(ACCEPT, data={"token": token, "password": "the owner's own password"})
    assert accepted.status_code == 200 and "joined Trust" in accepted.text
    assert (NEW_HIRE, "admin") in await members(client, admin, employer)
    assert (await client.post(ACCEPT, data={"token": token, "password": "the owner's own password"})).status_code == 410


async def test_following_the_link_with_the_password_verifies_a_new_account(client):
    admin, _ = await account(client, "Ada Admin")
    employer = await organisation(client, admin, name="Trust")
    await invite(client, admin, employer, NEW_HIRE, role="worker")
    hire = await sign_up(client, NEW_HIRE, verified=False)  # signs up after the invitation, confirms nothing
    token = token_of(link_in(mails_to(client.mailbox, NEW_HIRE)[0], ACCEPT))
    assert (await client.post(ACCEPT, data={"token": token, "password": PASSWORD})).status_code == 200
    assert (await client.get("/v1/me", headers=hire)).json()["email_verified"] is True
    assert (NEW_HIRE, "worker") in await members(client, admin, employer)


async def test_a_verified_account_accepts_through_the_api(client):
    admin, _ = await account(client, "Ada Admin")
    employer = await organisation(client, admin, name="Trust")
    made = (await invite(client, admin, employer, NEW_HIRE, role="worker")).json()
    hire = await sign_up(client, NEW_HIRE)
    assert [invitation["id"] for invitation in (await client.get("/v1/invitations", headers=hire)).json()] == [
        made["id"]
    ]
    assert (await client.post(f"/v1/invitations/{made['id']}/accept", headers=hire)).status_code == 200


async def test_inviting_the_same_address_again_sends_the_open_invitation_again(client):
    admin, _ = await account(client, "Ada Admin")
    employer = await organisation(client, admin, name="Trust")
    first = await invite(client, admin, employer, NEW_HIRE, role="worker")
    first_link = token_of(link_in(last_mail_to(client.mailbox, NEW_HIRE), ACCEPT))
    again = await invite(client, admin, employer, NEW_HIRE.upper(), role="worker")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert len(mails_to(client.mailbox, NEW_HIRE)) == 2
    assert (await client.get(ACCEPT, params={"token": first_link})).status_code == 410
    other_role = await invite(client, admin, employer, NEW_HIRE, role="supervisor")
    assert other_role.status_code == 409 and other_role.json()["title"] == "Conflict"
    listed = (await client.get(f"/v1/organisations/{employer}/invitations", headers=admin)).json()
    assert [invitation["id"] for invitation in listed] == [first.json()["id"]]


async def test_an_unverified_admin_invites_nobody(client):
    unverified = await sign_up(client, "unverified@trust.example", verified=False)
    own = await organisation(client, unverified, name="Self-made")
    refused = await invite(client, unverified, own, "anyone@trust.example", role="worker")
    assert refused.status_code == 403 and refused.json()["title"] == "E-mail address not verified"
    assert mails_to(client.mailbox, "anyone@trust.example") == []


async def test_a_member_whose_address_is_unconfirmed_is_not_linked_as_supervisor_and_verifies_nothing(client):
    """Accounts from before this release start unconfirmed: a supervisor among them must confirm first."""
    t = await team(client)
    await share(client, t.worker, t.organisation_id, supervisor_id=t.supervisor_id, entry_ids=[t.entry["id"]])
    body = {"entry_id": t.entry["id"], "reviewer_id": t.supervisor_id, "organisation_id": t.organisation_id}
    review = (await client.post("/v1/reviews", json=body, headers=t.worker)).json()
    await Account.update({Account.email_verified_at: None}).where(Account.id == t.supervisor_id)

    verified = await client.post(
        f"/v1/reviews/{review['id']}/verify", json={"statement": "I saw this."}, headers=t.supervisor
    )
    assert verified.status_code == 403 and verified.json()["title"] == "E-mail address not verified"
    second_worker, second_me = await account(client, "Second Worker")
    await join(client, t.admin, t.organisation_id, second_worker, "worker")
    linked = await client.post(
        f"/v1/organisations/{t.organisation_id}/supervision-links",
        json={"supervisor_id": t.supervisor_id, "worker_id": second_me["id"]},
        headers=t.admin,
    )
    assert linked.status_code == 403 and "supervisor has not confirmed" in linked.json()["detail"]

    resent = await client.post("/v1/me/email-verification", headers=t.supervisor)
    assert resent.status_code == 202
    await confirm_address(client, resent.json()["email"])
    again = await client.post(
        f"/v1/reviews/{review['id']}/verify", json={"statement": "I saw this."}, headers=t.supervisor
    )
    assert again.status_code == 200, again.text


async def test_concurrent_invitations_of_one_address_make_one_invitation(client):
    admin, _ = await account(client, "Ada Admin")
    employer = await organisation(client, admin, name="Trust")
    answers = await asyncio.gather(*(invite(client, admin, employer, NEW_HIRE, role="worker") for _ in range(6)))
    assert sorted(answer.status_code for answer in answers) == [200, 200, 200, 200, 200, 201]
    assert len({answer.json()["id"] for answer in answers}) == 1
    assert len((await client.get(f"/v1/organisations/{employer}/invitations", headers=admin)).json()) == 1
