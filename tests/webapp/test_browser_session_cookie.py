"""Chromium keeps the app's ``__Host-`` session cookie over plain HTTP on this machine (issue 13, item 6).

Browsers treat ``localhost`` and loopback addresses as secure contexts, so a Secure,
``__Host-``-prefixed cookie set over ``http://127.0.0.1`` or ``http://localhost`` is kept; page
scripts cannot read it, and it signs in only requests that carry ``X-CPL-App: 1``. The requests
here are made by the page itself with ``fetch``, as the app makes them.
"""

from __future__ import annotations

import uuid

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

FETCH = """async ([path, init]) => {
    const response = await fetch(path, init);
    return {status: response.status, body: await response.text()};
}"""


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_chromium_keeps_the_secure_cookie_over_local_http_and_sends_it_only_as_told(phone, cpl_server, host):
    base = cpl_server.replace("127.0.0.1", host)
    page = phone.new_page()
    page.goto(f"{base}/health")
    email = f"cookie-{uuid.uuid4().hex[:8]}@example.org"
    body = f'{{"email": "{email}", "password": "{PASSWORD}", "display_name": "Cookie"}}'
    json_app = {"Content-Type": "application/json", "X-CPL-App": "1"}
    signed_up = page.evaluate(FETCH, ["/v1/auth/register", {"method": "POST", "headers": json_app, "body": body}])
    assert signed_up["status"] == 202 and phone.cookies(base) == []
    body = f'{{"email": "{email}", "password": "{PASSWORD}", "device_name": "phone"}}'
    signed_in = page.evaluate(FETCH, ["/v1/auth/login", {"method": "POST", "headers": json_app, "body": body}])
    assert signed_in["status"] == 200 and '"token":null' in signed_in["body"]

    [cookie] = phone.cookies(base)
    assert cookie["name"] == "__Host-cpl_session" and cookie["domain"] == host and cookie["path"] == "/"
    assert cookie["secure"] is True and cookie["httpOnly"] is True and cookie["sameSite"] == "Strict"
    assert "cpl_session" not in page.evaluate("document.cookie")

    with_header = page.evaluate(FETCH, ["/v1/me", {"headers": {"X-CPL-App": "1"}}])
    assert with_header["status"] == 200 and email in with_header["body"]
    assert page.evaluate(FETCH, ["/v1/me", {}])["status"] == 401

    logged_out = page.evaluate(FETCH, ["/v1/auth/logout", {"method": "POST", "headers": {"X-CPL-App": "1"}}])
    assert logged_out["status"] == 204
    assert phone.cookies(base) == []
    assert page.evaluate(FETCH, ["/v1/me", {"headers": {"X-CPL-App": "1"}}])["status"] == 401
