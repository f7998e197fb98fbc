"""The web app's cookie sign-in through the HTTP API (issue 13, item 6).

The cookie is sent explicitly in each request (and the client's own jar emptied), so every test
states which credentials a request carries.
"""

from __future__ import annotations

import logging
from http.cookies import SimpleCookie

from cpl.app import create_app
from tests.factories import PASSWORD, sign_up

APP = {"X-CPL-App": "1"}
LOCAL = "http://localhost:8000"


def set_cookie(response) -> SimpleCookie:
    """The one Set-Cookie of a response, parsed."""
    [header] = response.headers.get_list("set-cookie")
    cookie = SimpleCookie()
    cookie.load(header)
    return cookie


def attributes(response) -> set[str]:
    [header] = response.headers.get_list("set-cookie")
    return {part.strip().split("=")[0].lower() for part in header.split(";")[1:]}


async def app_login(client, email: str, base: str = LOCAL):
    response = await client.post(
        f"{base}/v1/auth/login", json={"email": email, "password": PASSWORD, "device_name": "app"}, headers=APP
    )
    client.cookies.clear()
    return response


async def test_app_sign_in_sets_a_host_only_http_only_cookie_and_returns_no_token(client):
    await sign_up(client, email="ann@example.org")
    response = await app_login(client, "ann@example.org")
    assert response.status_code == 200
    assert response.json()["token"] is None
    assert response.json()["account"]["email"] == "ann@example.org"
    cookie = set_cookie(response)
    assert list(cookie) == ["__Host-cpl_session"]
    morsel = cookie["__Host-cpl_session"]
    assert len(morsel.value) >= 40
    assert morsel["path"] == "/" and morsel["samesite"].lower() == "strict" and not morsel["domain"]
    assert {"httponly", "secure"} <= attributes(response)
    assert 29 * 86400 < int(morsel["max-age"]) <= 30 * 86400


async def test_the_cookie_counts_only_with_the_app_header(client):
    await sign_up(client, email="bea@example.org")
    token = set_cookie(await app_login(client, "bea@example.org"))["__Host-cpl_session"].value
    cookie = {"Cookie": f"__Host-cpl_session={token}"}
    without_header = await client.get(f"{LOCAL}/v1/me", headers=cookie)
    assert without_header.status_code == 401
    assert without_header.headers["content-type"] == "application/problem+json"
    wrong_value = await client.get(f"{LOCAL}/v1/me", headers={**cookie, "X-CPL-App": "0"})
    assert wrong_value.status_code == 401
    with_header = await client.get(f"{LOCAL}/v1/me", headers={**cookie, **APP})
    assert with_header.status_code == 200
    assert with_header.json()["email"] == "bea@example.org"


async def test_an_app_header_other_than_1_is_refused_by_name(client):
    await sign_up(client, email="cy@example.org")
    response = await client.post(
        f"{LOCAL}/v1/auth/login", json={"email": "cy@example.org", "password": PASSWORD}, headers={"X-CPL-App": "yes"}
    )
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["X-CPL-App"]
    assert response.headers.get_list("set-cookie") == []


async def test_app_registration_signs_nobody_in_and_the_app_then_signs_in_with_the_cookie(client):
    response = await client.post(
        f"{LOCAL}/v1/auth/register",
        json={"email": "cat@example.org", "password": PASSWORD, "display_name": "Cat"},
        headers=APP,
    )
    client.cookies.clear()
    assert response.status_code == 202
    assert response.headers.get_list("set-cookie") == []
    token = set_cookie(await app_login(client, "cat@example.org"))["__Host-cpl_session"].value
    me = await client.get(f"{LOCAL}/v1/me", headers={"Cookie": f"__Host-cpl_session={token}", **APP})
    assert me.status_code == 200 and me.json()["display_name"] == "Cat"


async def test_sign_in_without_the_header_returns_the_token_and_sets_no_cookie(client):
    await sign_up(client, email="dan@example.org")
    response = await client.post(f"{LOCAL}/v1/auth/login", json={"email": "dan@example.org", "password": PASSWORD})
    assert response.status_code == 200
    assert len(response.json()["token"]) >= 40
    assert response.headers.get_list("set-cookie") == []


async def test_logout_with_the_cookie_revokes_the_session_and_clears_the_cookie(client):
    other_device = await sign_up(client, email="eve@example.org", device_name="laptop")
    token = set_cookie(await app_login(client, "eve@example.org"))["__Host-cpl_session"].value
    signed_in = {"Cookie": f"__Host-cpl_session={token}", **APP}
    response = await client.post(f"{LOCAL}/v1/auth/logout", headers=signed_in)
    client.cookies.clear()
    assert response.status_code == 204
    cleared = set_cookie(response)["__Host-cpl_session"]
    assert cleared.value == "" and cleared["max-age"] == "0" and cleared["path"] == "/"
    assert (await client.get(f"{LOCAL}/v1/me", headers=signed_in)).status_code == 401
    devices = (await client.get("/v1/me/sessions", headers=other_device)).json()
    assert [device["device_name"] for device in devices] == ["laptop"]


async def test_a_bearer_header_wins_over_the_cookie(client):
    await sign_up(client, email="fay@example.org")
    gus = await sign_up(client, email="gus@example.org")
    token = set_cookie(await app_login(client, "fay@example.org"))["__Host-cpl_session"].value
    cookie = {"Cookie": f"__Host-cpl_session={token}", **APP}
    as_gus = await client.get(f"{LOCAL}/v1/me", headers={**cookie, **gus})
    assert as_gus.status_code == 200 and as_gus.json()["email"] == "gus@example.org"
    bad_bearer = await client.get(f"{LOCAL}/v1/me", headers={**cookie, "Authorization": "Bearer not-a-token"})
    assert bad_bearer.status_code == 401


async def test_over_https_the_cookie_is_host_prefixed_and_secure(client):
    await sign_up(client, email="hal@example.org")
    response = await app_login(client, "hal@example.org", base="https://cpl.example.org")
    assert list(set_cookie(response)) == ["__Host-cpl_session"]
    assert "secure" in attributes(response)


async def test_over_plain_http_to_another_host_the_cookie_is_plain_and_only_that_name_counts(client):
    await sign_up(client, email="ida@example.org")
    base = "http://cpl.example.org"
    response = await app_login(client, "ida@example.org", base=base)
    assert list(set_cookie(response)) == ["cpl_session"]
    assert "secure" not in attributes(response) and "httponly" in attributes(response)
    token = set_cookie(response)["cpl_session"].value
    plain = await client.get(f"{base}/v1/me", headers={"Cookie": f"cpl_session={token}", **APP})
    assert plain.status_code == 200
    # A __Host- cookie cannot have been set by a browser here; one arriving anyway is not trusted.
    prefixed = await client.get(f"{base}/v1/me", headers={"Cookie": f"__Host-cpl_session={token}", **APP})
    assert prefixed.status_code == 401
    # Nor does the plain name count where the __Host- cookie is the one set.
    local = await client.get(f"{LOCAL}/v1/me", headers={"Cookie": f"cpl_session={token}", **APP})
    assert local.status_code == 401


class Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_a_plain_http_public_address_is_warned_about_at_start(make_settings):
    recorder = Recorder()
    logging.getLogger("cpl").addHandler(recorder)  # Litestar's logging set-up keeps it from pytest's caplog
    try:
        create_app(make_settings(public_base_url="https://cpl.example.org"))
        create_app(make_settings(public_base_url="http://127.0.0.1:8000"))
        assert recorder.messages == []
        create_app(make_settings(public_base_url="http://cpl.example.org"))
    finally:
        logging.getLogger("cpl").removeHandler(recorder)
    [message] = recorder.messages
    assert "HTTPS" in message and "http://cpl.example.org" in message


async def test_the_openapi_document_describes_the_cookie_sign_in(client):
    document = (await client.get("/schema/openapi.json")).json()
    token = document["components"]["schemas"]["TokenOut"]["properties"]["token"]
    assert {"type": "null"} in token["oneOf"]
    cookie_scheme = document["components"]["securitySchemes"]["appCookie"]
    assert cookie_scheme == {**cookie_scheme, "type": "apiKey", "in": "cookie", "name": "__Host-cpl_session"}
    for path in ("/v1/auth/login", "/v1/auth/logout"):
        operation = document["paths"][path]["post"]
        assert [p["name"] for p in operation["parameters"] if p["in"] == "header"] == ["X-CPL-App"], path
        success = next(status for status in operation["responses"] if status.startswith("2"))
        assert "Set-Cookie" in operation["responses"][success]["headers"], path
