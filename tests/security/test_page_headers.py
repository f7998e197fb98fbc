"""Every HTML page cpl serves carries a Content-Security-Policy without inline code, refuses to be
framed, and sends no referrer (issue 15, item 4): the verification pages, the share-link pages, the
pages the links in mail open, and the web app's shell. Their style sheet and script are files."""

from __future__ import annotations

import pytest

from tests.exports.helpers import EXPORT_SETTINGS, export_file
from tests.factories import put_entry, sign_up

BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
MISSING = "00000000-0000-4000-8000-000000000000"


def assert_page_headers(response, what: str) -> None:
    assert response.headers["content-type"].startswith("text/html"), what
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy, what
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, what
    assert "script-src 'self'" in policy and "'none'" in policy.split(";")[0], what
    assert response.headers["referrer-policy"] == "no-referrer", what
    assert response.headers["x-content-type-options"] == "nosniff", what
    assert "<style" not in response.text and " style=" not in response.text, what
    assert "<script>" not in response.text, what


@pytest.fixture
async def shared(client_for, make_settings):
    client = await client_for(make_settings(**EXPORT_SETTINGS))
    owner = await sign_up(client)
    await put_entry(client, owner)
    done, _ = await export_file(client, owner, "json")
    made = await client.post(f"/v1/exports/{done['id']}/shares", json={"passcode": "open sesame"}, headers=owner)
    return client, done, made.json()["url"].removeprefix(EXPORT_SETTINGS["public_base_url"])


async def test_every_page_carries_the_page_headers(shared):
    client, done, link = shared
    pages = {
        f"/verify/{done['id']}": 200,
        f"/verify/{MISSING}": 404,
        link: 403,
        "/shared/no-such-link": 404,
        "/account/forgot-password": 200,
        "/account/confirm-email?token=nothing": 404,
        "/account/reset-password?token=nothing": 404,
        "/invitations/accept?token=nothing": 404,
    }
    for path, status in pages.items():
        response = await client.get(path, headers=BROWSER)
        assert response.status_code == status, path
        assert_page_headers(response, path)
    wrong = await client.post(link, data={"passcode": "a wrong guess"}, headers=BROWSER)
    assert wrong.status_code == 403
    assert_page_headers(wrong, "the passcode form after a wrong passcode")
    opened = await client.post(link, data={"passcode": "open sesame"}, headers=BROWSER)
    assert opened.status_code == 303
    portfolio = await client.get(link, headers=BROWSER)
    assert portfolio.status_code == 200
    assert_page_headers(portfolio, "the portfolio")


async def test_the_web_app_keeps_its_own_policy_and_is_never_framed(client):
    shell = await client.get("/app/", headers=BROWSER)
    assert shell.status_code == 200
    assert "frame-ancestors 'none'" in shell.headers["content-security-policy"]
    assert shell.headers["referrer-policy"] == "no-referrer"


async def test_the_pages_style_sheet_and_file_check_are_served_as_files(client):
    style = await client.get("/pages/page.css")
    assert style.status_code == 200 and style.headers["content-type"].startswith("text/css")
    script = await client.get("/pages/check-file.js")
    assert script.status_code == 200 and "crypto.subtle.digest" in script.text
    assert (await client.get("/pages/nothing.js")).status_code == 404
