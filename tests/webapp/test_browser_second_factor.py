"""The second factor in the app (issue 14, item 3): a worker turns it on from the account screen
(the QR code's key typed into pyotp here, as an authenticator app would read it), keeps the
recovery codes shown once, signs out, and signing in then asks for the code; a wrong code is
refused and the right one signs in. axe-core checks each new screen.
"""

from __future__ import annotations

import time

import pyotp
import pytest
from playwright.sync_api import expect

from tests.webapp.phone import assert_accessible, new_email, sign_up, textbox

pytestmark = pytest.mark.browser


def test_a_worker_turns_the_second_factor_on_and_signing_in_then_asks_for_the_code(phone, cpl_server):
    page = phone.new_page()
    email = new_email()
    sign_up(page, email, name="Tess Twofactor")
    page.get_by_role("navigation").get_by_role("link", name="Account and devices", exact=True).click()
    page.get_by_role("button", name="Set up a second factor", exact=True).click()
    expect(page.get_by_role("img", name="QR code holding the key for your authenticator app")).to_be_visible()
    assert_accessible(page, "setting up the second factor")
    secret = page.locator("code.secret").inner_text()
    totp = pyotp.TOTP(secret)
    textbox(page, "Code from the app").fill(totp.now())
    page.get_by_role("button", name="Turn on", exact=True).click()
    codes = page.get_by_role("list", name="Recovery codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    assert_accessible(page, "recovery codes")
    page.get_by_role("button", name="I have kept them", exact=True).click()
    expect(
        page.get_by_text("On: signing in asks for a code from your authenticator app. 10 recovery codes left.")
    ).to_be_visible()

    page.get_by_role("button", name="Sign out", exact=True).click()
    page.get_by_role("textbox", name="Email", exact=True).fill(email)
    page.get_by_role("textbox", name="Password", exact=True).fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", name="Enter your code", level=1)).to_be_visible()
    assert_accessible(page, "second-factor code")
    textbox(page, "Code").fill("000000")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_text("The code is not right, or was already used.")).to_be_visible()
    textbox(page, "Code").fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("button", name="New entry", exact=True)).to_be_visible()
