"""E-mail ownership (issue 14, item 1): confirming an address, taken addresses, resending.

Mail is read where cpl put it: the mail folder (no SMTP configured) or a real SMTP server.
"""

from __future__ import annotations

import asyncio
import hashlib
from datetime import timedelta

from cpl.accounts.tables import EmailLink
from cpl.mail.tables import MailOutbox
from tests.factories import PASSWORD, confirm_address, entry_body, sign_up
from tests.mailbox import body_of, last_mail_to, link_in, mails_to, token_of

CONFIRM = "/account/confirm-email"


async def register(client, email: str, password: str = PASSWORD, name: str = "Sam"):
    return await client.post("/v1/auth/register", json={"email": email, "password": password, "display_name": name})


async def login(client, email: str, password: str = PASSWORD):
    return await client.post("/v1/auth/login", json={"email": email, "password": password})


async def bearer(client, email: str, password: str = PASSWORD) -> dict[str, str]:
    response = await login(client, email, password)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


async def test_sign_up_mails_a_link_that_confirms_the_address_once(client):
    assert (await register(client, "ann@example.org")).status_code == 202
    me = await bearer(client, "ann@example.org")
    assert (await client.get("/v1/me", headers=me)).json()["email_verified"] is False
    message = last_mail_to(client.mailbox, "ann@example.org")
    assert "confirm" in message["Subject"]
    link = link_in(message, CONFIRM)
    assert link.startswith("http://localhost:8000/account/confirm-email?token=")  # CPL_PUBLIC_BASE_URL

    # A GET (a mail scanner, or the person opening the link) shows a form and uses nothing up.
    for _ in range(2):
        page = await client.get(link.removeprefix("http://localhost:8000"))
        assert page.status_code == 200 and "ann@example.org" in page.text and 'method="post"' in page.text
        assert page.headers["content-type"].startswith("text/html")
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        assert page.headers["referrer-policy"] == "no-referrer"
    assert (await client.get("/v1/me", headers=me)).json()["email_verified"] is False

    confirmed = await client.post(CONFIRM, data={"token": token_of(link)})
    assert confirmed.status_code == 200 and "ann@example.org" in confirmed.text
    assert (await client.get("/v1/me", headers=me)).json()["email_verified"] is True
    again = await client.post(CONFIRM, data={"token": token_of(link)})
    assert again.status_code == 410 and "used already" in again.text
    unknown = await client.get(CONFIRM, params={"token": "not-a-token"})
    assert unknown.status_code == 404


async def test_only_the_tokens_hash_is_stored_and_sent_mail_leaves_no_copy(client):
    await register(client, "bo@example.org")
    token = token_of(link_in(last_mail_to(client.mailbox, "bo@example.org"), CONFIRM))
    [row] = await EmailLink.select().where(EmailLink.email == "bo@example.org")
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(row)
    assert await MailOutbox.select() == []


async def test_a_link_expires(make_settings, client_for):
    client = await client_for(make_settings(email_verification_ttl=timedelta(seconds=0)))
    await register(client, "cy@example.org")
    token = token_of(link_in(last_mail_to(client.mailbox, "cy@example.org"), CONFIRM))
    shown = await client.get(CONFIRM, params={"token": token})
    assert shown.status_code == 410 and "expired" in shown.text
    assert (await client.post(CONFIRM, data={"token": token})).status_code == 410
    me = await bearer(client, "cy@example.org")
    assert (await client.get("/v1/me", headers=me)).json()["email_verified"] is False


async def test_two_concurrent_follows_of_one_link_confirm_once(client):
    await register(client, "dee@example.org")
    token = token_of(link_in(last_mail_to(client.mailbox, "dee@example.org"), CONFIRM))
    answers = await asyncio.gather(*(client.post(CONFIRM, data={"token": token}) for _ in range(5)))
    assert sorted(answer.status_code for answer in answers) == [200, 410, 410, 410, 410]


async def test_a_taken_address_answers_exactly_as_a_new_one_and_its_owner_is_told(client):
    new = await register(client, "eve@example.org", name="Eve")
    taken = await register(client, "EVE@example.org", password="another long password", name="Mallory")
    assert new.status_code == taken.status_code == 202
    assert new.json() == taken.json()
    assert new.headers["content-type"] == taken.headers["content-type"]
    assert new.headers.get_list("set-cookie") == taken.headers.get_list("set-cookie") == []
    first, notice = mails_to(client.mailbox, "eve@example.org")
    assert "confirm" in first["Subject"]
    assert "someone tried to use your address" in notice["Subject"]
    assert "/account/forgot-password" in body_of(notice) and "/account/confirm-email" not in body_of(notice)
    # Nothing changed: the first password still signs in, the second does not.
    assert (await login(client, "eve@example.org")).status_code == 200
    assert (await login(client, "eve@example.org", "another long password")).status_code == 401


async def test_an_unverified_account_logs_evidence(client):
    worker = await sign_up(client, verified=False)
    assert (await client.post("/v1/evidence", json=entry_body(), headers=worker)).status_code == 201
    assert (await client.get("/v1/me", headers=worker)).json()["email_verified"] is False


async def test_resending_the_link_ends_the_older_one_and_is_throttled(make_settings, client_for):
    client = await client_for(make_settings(email_links_per_address_per_hour=2))
    worker = await sign_up(client, "fay@example.org", verified=False)
    old = token_of(link_in(last_mail_to(client.mailbox, "fay@example.org"), CONFIRM))
    resent = await client.post("/v1/me/email-verification", headers=worker)
    assert resent.status_code == 202 and resent.json()["email"] == "fay@example.org"
    new = token_of(link_in(last_mail_to(client.mailbox, "fay@example.org"), CONFIRM))
    assert new != old
    assert (await client.post(CONFIRM, data={"token": old})).status_code == 410
    throttled = await client.post("/v1/me/email-verification", headers=worker)
    assert throttled.status_code == 429 and throttled.headers["retry-after"] == "3600"
    assert (await client.post(CONFIRM, data={"token": new})).status_code == 200
    already = await client.post("/v1/me/email-verification", headers=worker)
    assert already.status_code == 409
    assert already.headers["content-type"] == "application/problem+json"


async def test_sign_up_mail_goes_through_smtp_when_configured(client_for, make_settings, smtp_server):
    controller, inbox = smtp_server
    settings = make_settings(smtp_host="127.0.0.1", smtp_port=controller.port, smtp_from="cpl@example.org")
    client = await client_for(settings, mailbox=inbox)
    headers = await sign_up(client, "gil@example.org")
    assert (await client.get("/v1/me", headers=headers)).json()["email_verified"] is True
    [message] = inbox.messages
    assert message["From"] == "cpl@example.org" and message["To"] == "gil@example.org"
    assert list(settings.mail_folder.glob("*.eml")) == []


async def test_without_smtp_each_mail_is_a_file_in_the_mail_folder(client, settings):
    await register(client, "hal@example.org")
    [path] = settings.mail_folder.glob("*.eml")
    assert path.stat().st_mode & 0o777 == 0o600
    assert b"To: hal@example.org" in path.read_bytes()
    await confirm_address(client, "hal@example.org")
