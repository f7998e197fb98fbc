"""Notifications of review events: in the app, and by e-mail through a real SMTP server."""

from __future__ import annotations

import socket
import uuid

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from tests.organisations.helpers import account, share, team


class Inbox(Message):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list = []

    def handle_message(self, message) -> None:
        self.messages.append(message)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


async def _submit(client, t) -> dict:
    await share(client, t.worker, t.organisation_id, supervisor_id=t.supervisor_id, entry_ids=[t.entry["id"]])
    body = {"entry_id": t.entry["id"], "reviewer_id": t.supervisor_id, "organisation_id": t.organisation_id}
    response = await client.post("/v1/reviews", json=body, headers=t.worker)
    assert response.status_code == 201, response.text
    return response.json()


async def test_each_side_hears_of_the_others_steps_and_marks_them_read(client):
    t = await team(client)
    made = await _submit(client, t)
    [note] = (await client.get("/v1/notifications", headers=t.supervisor)).json()
    assert note["kind"] == "submitted" and note["review_id"] == made["id"] and "Wren Worker" in note["message"]
    assert (await client.get("/v1/notifications", headers=t.worker)).json() == []
    await client.post(f"/v1/reviews/{made['id']}/request-changes", json={"body": "More, please."}, headers=t.supervisor)
    [back] = (await client.get("/v1/notifications", headers=t.worker)).json()
    assert back["kind"] == "changes_requested" and back["read_at"] is None
    assert (await client.post(f"/v1/notifications/{back['id']}/read", headers=t.supervisor)).status_code == 404
    read = (await client.post(f"/v1/notifications/{back['id']}/read", headers=t.worker)).json()
    assert read["read_at"] is not None
    assert (await client.post(f"/v1/notifications/{back['id']}/read", headers=t.worker)).json()["read_at"] == read[
        "read_at"
    ]
    assert (await client.get("/v1/notifications", params={"unread": "true"}, headers=t.worker)).json() == []
    assert (await client.post(f"/v1/notifications/{uuid.uuid4()}/read", headers=t.worker)).status_code == 404


async def test_no_email_unless_smtp_is_configured(client, smtp_server):
    _, inbox = smtp_server
    t = await team(client)
    await _submit(client, t)
    assert inbox.messages == []


async def test_review_events_are_emailed_through_smtp(client_for, make_settings, smtp_server):
    controller, inbox = smtp_server
    client = await client_for(
        make_settings(smtp_host="127.0.0.1", smtp_port=controller.port, smtp_from="cpl@example.org")
    )
    t = await team(client)
    supervisor_email = (await client.get("/v1/me", headers=t.supervisor)).json()["email"]
    await _submit(client, t)
    [message] = inbox.messages
    assert message["To"] == supervisor_email and message["From"] == "cpl@example.org"
    assert "submitted" in message["Subject"] and "Wren Worker" in message.get_payload()


async def test_a_mail_server_that_is_down_does_not_fail_the_review(client_for, make_settings):
    client = await client_for(make_settings(smtp_host="127.0.0.1", smtp_port=_free_port(), smtp_timeout_seconds=2))
    t = await team(client)
    made = await _submit(client, t)
    assert made["state"] == "submitted"
    assert len((await client.get("/v1/notifications", headers=t.supervisor)).json()) == 1
    stranger, _ = await account(client, "Stranger")
    assert (await client.get("/v1/notifications", headers=stranger)).json() == []
