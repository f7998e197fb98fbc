"""Accounts through the HTTP API: registration, sign-in, sessions, expiry, throttling."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from tests.factories import PASSWORD, sign_up


async def login(client, email: str, password: str = PASSWORD, **extra):
    return await client.post("/v1/auth/login", json={"email": email, "password": password, **extra})


async def test_register_then_sign_in_and_me(client):
    response = await client.post(
        "/v1/auth/register", json={"email": "  Ada@Example.org ", "password": PASSWORD, "display_name": "Ada"}
    )
    assert response.status_code == 202
    assert response.json()["email"] == "ada@example.org"
    signed_in = await login(client, "ada@example.org", device_name="Pixel")
    assert signed_in.status_code == 200
    body = signed_in.json()
    assert body["token_type"] == "Bearer" and len(body["token"]) >= 40
    me = await client.get("/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200
    assert me.json()["email"] == "ada@example.org"
    assert me.json()["is_admin"] is False and me.json()["email_verified"] is False


async def test_weak_password_and_bad_email_are_refused(client):
    response = await client.post(
        "/v1/auth/register", json={"email": "not-an-email", "password": "short", "display_name": "X"}
    )
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert any("email" in field for field in fields) and any("password" in field for field in fields)


async def test_login_answers_the_same_for_unknown_email_and_wrong_password(client):
    await sign_up(client, email="kim@example.org")
    wrong_password = await login(client, "kim@example.org", "not the password at all")
    unknown_email = await login(client, "nobody@example.org", "not the password at all")
    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.json() == unknown_email.json()


async def test_login_opens_a_session_per_device(client):
    await sign_up(client, email="lee@example.org", device_name="phone")
    tablet = await login(client, "lee@example.org", device_name="tablet")
    assert tablet.status_code == 200
    headers = {"Authorization": f"Bearer {tablet.json()['token']}"}
    sessions = (await client.get("/v1/me/sessions", headers=headers)).json()
    assert sorted(session["device_name"] for session in sessions) == ["phone", "tablet"]
    assert [session["device_name"] for session in sessions if session["current"]] == ["tablet"]


async def test_revoking_a_session_signs_that_device_out(client):
    phone = await sign_up(client, email="max@example.org", device_name="phone")
    laptop_login = await login(client, "max@example.org", device_name="laptop")
    laptop = {"Authorization": f"Bearer {laptop_login.json()['token']}"}
    phone_session = next(
        s for s in (await client.get("/v1/me/sessions", headers=laptop)).json() if s["device_name"] == "phone"
    )
    assert (await client.delete(f"/v1/me/sessions/{phone_session['id']}", headers=laptop)).status_code == 204
    assert (await client.get("/v1/me", headers=phone)).status_code == 401
    assert (await client.get("/v1/me", headers=laptop)).status_code == 200


async def test_nobody_can_revoke_another_accounts_session(client):
    alice = await sign_up(client)
    bob = await sign_up(client)
    alice_session = (await client.get("/v1/me/sessions", headers=alice)).json()[0]
    assert (await client.delete(f"/v1/me/sessions/{alice_session['id']}", headers=bob)).status_code == 404
    assert (await client.get("/v1/me", headers=alice)).status_code == 200


async def test_logout_ends_the_current_token(client):
    headers = await sign_up(client)
    assert (await client.post("/v1/auth/logout", headers=headers)).status_code == 204
    response = await client.get("/v1/me", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_tokens_expire(make_settings, client_for):
    client = await client_for(make_settings(token_ttl=timedelta(seconds=1)))
    headers = await sign_up(client)
    assert (await client.get("/v1/me", headers=headers)).status_code == 200
    await asyncio.sleep(1.2)
    assert (await client.get("/v1/me", headers=headers)).status_code == 401


async def test_garbage_and_missing_tokens_are_refused(client):
    for headers in ({}, {"Authorization": "Bearer nonsense"}, {"Authorization": "Basic dXNlcjpwYXNz"}):
        response = await client.get("/v1/me", headers=headers)
        assert response.status_code == 401
        assert response.headers["content-type"].startswith("application/problem+json")


async def test_failed_logins_are_throttled_per_account(make_settings, client_for):
    client = await client_for(make_settings(login_failures_per_account=3, login_failures_per_address=100))
    await sign_up(client, email="pat@example.org")
    for _ in range(3):
        assert (await login(client, "pat@example.org", "wrong password!")).status_code == 401
    throttled = await login(client, "pat@example.org")  # even the right password waits now
    assert throttled.status_code == 429
    assert int(throttled.headers["retry-after"]) > 0
    # An unknown e-mail is throttled identically, so throttling reveals nothing either.
    for _ in range(3):
        await login(client, "ghost@example.org", "wrong password!")
    assert (await login(client, "ghost@example.org", "wrong password!")).json() == throttled.json()


async def test_failed_logins_are_throttled_per_client_address(make_settings, client_for):
    client = await client_for(make_settings(login_failures_per_account=100, login_failures_per_address=4))
    await sign_up(client, email="ray@example.org")
    for number in range(4):
        await login(client, f"guess{number}@example.org", "wrong password!")
    assert (await login(client, "ray@example.org")).status_code == 429


async def test_a_successful_login_resets_the_account_count(make_settings, client_for):
    client = await client_for(make_settings(login_failures_per_account=3, login_failures_per_address=100))
    await sign_up(client, email="joe@example.org")
    for _ in range(2):
        await login(client, "joe@example.org", "wrong password!")
    assert (await login(client, "joe@example.org")).status_code == 200
    for _ in range(2):
        await login(client, "joe@example.org", "wrong password!")
    assert (await login(client, "joe@example.org")).status_code == 200


async def test_control_characters_in_names_are_refused_and_nothing_is_made(client):
    for field, value in (("email", "nul\x00@example.org"), ("display_name", "a\x00b")):
        body = {"email": "nul@example.org", "password": PASSWORD, "display_name": "Nul", field: value}
        response = await client.post("/v1/auth/register", json=body)
        assert response.status_code == 422, (field, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert [error["field"] for error in response.json()["errors"]] == [field]
    headers = await sign_up(client, email="nul@example.org")
    refused = await login(client, "nul@example.org", device_name="a\x00b")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "device_name"
    assert len((await client.get("/v1/me/sessions", headers=headers)).json()) == 1
