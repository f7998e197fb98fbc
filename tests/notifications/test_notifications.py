"""Notifications of review events: in the app, and by e-mail through a real SMTP server."""

from __future__ import annotations

import uuid

from tests.mailbox import body_of, mails_to
from tests.organisations.helpers import team
from tests.reviews.helpers import submit


async def test_each_side_hears_of_the_others_steps_and_marks_them_read(client):
    t = await team(client)
    made = await submit(client, t)
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


async def test_without_smtp_the_mail_goes_to_the_mail_folder(client, smtp_server, settings):
    _, inbox = smtp_server
    t = await team(client)
    supervisor_email = (await client.get("/v1/me", headers=t.supervisor)).json()["email"]
    await submit(client, t)
    assert inbox.messages == []
    [message] = [m for m in mails_to(client.mailbox, supervisor_email) if "submitted" in m["Subject"]]
    assert "Wren Worker" in body_of(message)
    assert all(path.stat().st_mode & 0o777 == 0o600 for path in settings.mail_folder.glob("*.eml"))


async def test_review_events_are_emailed_through_smtp(client_for, make_settings, smtp_server):
    controller, inbox = smtp_server
    settings = make_settings(smtp_host="127.0.0.1", smtp_port=controller.port, smtp_from="cpl@example.org")
    client = await client_for(settings, mailbox=inbox)
    t = await team(client)
    supervisor_email = (await client.get("/v1/me", headers=t.supervisor)).json()["email"]
    await submit(client, t)
    [message] = [m for m in mails_to(inbox, supervisor_email) if "submitted" in m["Subject"]]
    assert message["From"] == "cpl@example.org"
    assert "Wren Worker" in body_of(message)
    assert list(settings.mail_folder.glob("*.eml")) == []
