"""Web Push in the app (issue 19): the Account screen's "Notifications on this phone" turns push on
(the browser's permission, granted here as a person would tap Allow; a subscription with cpl's
VAPID key; handed to cpl). axe-core checks the section.

Headless Chromium has no push service (``pushManager.subscribe`` fails with "push service not
available"), so the test takes the turning-on up to that boundary and checks the app says it
could not; it does not fake a subscription. The service worker's ``push`` and ``notificationclick``
handlers are not driven here (what they show and open is web/tests/webpush.test.ts).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.webapp.phone import assert_accessible, new_email, sign_up

pytestmark = pytest.mark.browser

#: The signed-in app's own request for this account's devices (its session cookie and header).
MY_DEVICES = "fetch('/v1/me/push-subscriptions', { headers: { 'X-CPL-App': '1' } }).then((r) => r.json())"


def _account(page) -> None:
    page.get_by_role("navigation").get_by_role("link", name="Account and devices", exact=True).click()
    expect(page.get_by_role("heading", name="Notifications on this phone", level=2)).to_be_visible()


def test_turning_notifications_on_goes_as_far_as_the_browser_push_service(phone, cpl_server):
    phone.grant_permissions(["notifications"], origin=cpl_server)
    page = phone.new_page()
    sign_up(page, new_email(), name="Pia Push")
    _account(page)
    expect(page.get_by_text("Notifications are off on this phone.", exact=False)).to_be_visible()
    assert_accessible(page, "notifications on this phone")
    page.get_by_role("button", name="Turn on notifications", exact=True).click()
    outcome = page.get_by_text("Notifications are on for this phone.").or_(
        page.get_by_text("Could not change notifications on this phone:", exact=False)
    )
    expect(outcome).to_be_visible()
    listed = page.evaluate(MY_DEVICES)
    if page.get_by_text("Notifications are on for this phone.").is_visible():
        assert len(listed) == 1 and listed[0]["endpoint"].startswith("https://")
        page.get_by_role("button", name="Turn off notifications", exact=True).click()
        expect(page.get_by_text("Notifications are off on this phone.", exact=False)).to_be_visible()
        assert page.evaluate(MY_DEVICES) == []
    else:
        # Headless Chromium: permission granted, the key fetched, the browser's push service absent.
        assert listed == []
        expect(page.get_by_role("button", name="Turn on notifications", exact=True)).to_be_enabled()
