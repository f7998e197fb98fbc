"""Password reset by e-mail, changing one's password, changing one's address (issue 14, item 1).

A changed or reset password signs out every other session: bearer tokens and the web app's
cookie alike, and on PostgreSQL a token the session cache holds as well.
"""

from __future__ import annotations

from tests.factories import PASSWORD, sign_up
from tests.mailbox import body_of, last_mail_to, link_in, mails_to, token_of

RESET = "/account/reset-password"
CONFIRM = "/account/confirm-email"
APP = {"X-CPL-App": "1"}
LOCAL = "http://localhost:8000"
NEW_PASSWORD = "a brand new passphrase"


async def login(client, email: str, password: str = PASSWORD, device_name: str = ""):
    return await client.post("/v1/auth/login", json={"email": email, "password": password, "device_name": device_name})


async def cookie_session(client, email: str) -> dict[str, str]:
    """The web app's sign-in: the session in the cookie, sent back with the app's header."""
    response = await client.post(f"{LOCAL}/v1/auth/login", json={"email": email, "password": PASSWORD}, headers=APP)
    assert response.status_code == 200, response.text
    token = response.cookies["__Host-cpl_session"]
    client.cookies.clear()
    return {"Cookie": f"__Host-cpl_session={token}", **APP}


async def me(client, headers: dict[str, str]) -> int:
    url = f"{LOCAL}/v1/me" if "Cookie" in headers else "/v1/me"
    return (await client.get(url, headers=headers)).status_code


async def test_a_reset_request_answers_the_same_for_known_and_unknown_addresses(client):
    await sign_up(client, "kim@example.org")
    known = await client.post("/v1/auth/password-reset", json={"email": "kim@example.org"})
    unknown = await client.post("/v1/auth/password-reset", json={"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 202
    assert known.json()["detail"].replace("kim", "X") == unknown.json()["detail"].replace("nobody", "X")
    assert set(known.json()) == set(unknown.json()) == {"email", "detail"}
    assert "reset your password" in last_mail_to(client.mailbox, "kim@example.org")["Subject"]
    assert mails_to(client.mailbox, "nobody@example.org") == []


async def test_resetting_the_password_by_mail_signs_every_session_out(client):
    phone = await sign_up(client, "lee@example.org", device_name="phone")
    laptop = {"Authorization": f"Bearer {(await login(client, 'lee@example.org')).json()['token']}"}
    app = await cookie_session(client, "lee@example.org")
    for session in (phone, laptop, app):
        assert await me(client, session) == 200  # on PostgreSQL, each token is now in the session cache
    await client.post("/v1/auth/password-reset", json={"email": "lee@example.org"})
    link = link_in(last_mail_to(client.mailbox, "lee@example.org"), RESET)
    shown = await client.get(link.removeprefix(LOCAL))
    assert shown.status_code == 200 and 'name="password"' in shown.text
    assert shown.headers["referrer-policy"] == "no-referrer"
    token = token_of(link)
    too_short = await client.post(RESET, data={"token": token, "password": "short"})
    assert too_short.status_code == 422 and "10 to 256" in too_short.text
    done = await client.post(RESET, data={"token": token, "password": NEW_PASSWORD})
    assert done.status_code == 200, done.text
    for session in (phone, laptop, app):
        assert await me(client, session) == 401
    assert (await login(client, "lee@example.org")).status_code == 401
    assert (await login(client, "lee@example.org", NEW_PASSWORD)).status_code == 200
    assert (await client.post(RESET, data={"token": token, "password": "yet another password"})).status_code == 410


async def test_the_forgotten_password_page_works_without_javascript(client):
    await sign_up(client, "max@example.org")
    form = await client.get("/account/forgot-password")
    assert form.status_code == 200 and 'action="/account/forgot-password"' in form.text
    for address in ("max@example.org", "nobody@example.org"):
        sent = await client.post("/account/forgot-password", data={"email": address})
        assert sent.status_code == 200 and address in sent.text
    assert link_in(last_mail_to(client.mailbox, "max@example.org"), RESET)
    assert (await client.post("/account/forgot-password", data={"email": "nonsense"})).status_code == 422


async def test_changing_the_password_keeps_this_session_and_ends_the_others(client):
    phone = await sign_up(client, "ned@example.org", device_name="phone")
    laptop = {"Authorization": f"Bearer {(await login(client, 'ned@example.org')).json()['token']}"}
    app = await cookie_session(client, "ned@example.org")
    assert await me(client, laptop) == await me(client, app) == 200
    wrong = await client.post(
        "/v1/me/password", json={"current_password": "not it at all", "new_password": NEW_PASSWORD}, headers=phone
    )
    assert wrong.status_code == 403 and wrong.headers["content-type"] == "application/problem+json"
    assert await me(client, laptop) == 200
    changed = await client.post(
        "/v1/me/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD}, headers=phone
    )
    assert changed.status_code == 204
    assert await me(client, phone) == 200
    assert await me(client, laptop) == await me(client, app) == 401
    assert (await login(client, "ned@example.org", NEW_PASSWORD)).status_code == 200


async def test_a_new_address_counts_only_once_confirmed_and_the_old_one_is_told(client):
    worker = await sign_up(client, "old@example.org")
    asked = await client.post("/v1/me/email", json={"email": "New@Example.org", "password": PASSWORD}, headers=worker)
    assert asked.status_code == 202 and asked.json()["email"] == "new@example.org"
    assert (await client.get("/v1/me", headers=worker)).json()["email"] == "old@example.org"
    told = last_mail_to(client.mailbox, "old@example.org")
    assert "change of your e-mail address" in told["Subject"] and "new@example.org" in body_of(told)
    link = link_in(last_mail_to(client.mailbox, "new@example.org"), CONFIRM)
    assert (await client.get(link.removeprefix(LOCAL))).status_code == 200
    assert (await client.get("/v1/me", headers=worker)).json()["email"] == "old@example.org"
    assert (await client.post(CONFIRM, data={"token": token_of(link)})).status_code == 200
    account = (await client.get("/v1/me", headers=worker)).json()
    assert account["email"] == "new@example.org" and account["email_verified"] is True
    assert (await login(client, "new@example.org")).status_code == 200
    assert (await login(client, "old@example.org")).status_code == 401


async def test_moving_to_a_taken_address_sends_no_link_and_tells_its_owner(client):
    await sign_up(client, "owner@example.org")
    worker = await sign_up(client, "mover@example.org")
    wrong = await client.post("/v1/me/email", json={"email": "x@example.org", "password": "not it!"}, headers=worker)
    assert wrong.status_code == 403
    asked = await client.post("/v1/me/email", json={"email": "owner@example.org", "password": PASSWORD}, headers=worker)
    assert asked.status_code == 202
    notice = last_mail_to(client.mailbox, "owner@example.org")
    assert "someone tried to use your address" in notice["Subject"]
    assert "/account/confirm-email" not in body_of(notice)
    assert (await client.get("/v1/me", headers=worker)).json()["email"] == "mover@example.org"
