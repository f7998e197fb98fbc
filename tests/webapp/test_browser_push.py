"""Web Push in the app (issue 19): the Account screen's "Notifications on this phone" turns push on
(the browser's permission, granted here as a person would tap Allow; a subscription with cpl's
VAPID key; handed to cpl), and the service worker shows a pushed notification with the screen it
opens. axe-core checks the section.

Headless Chromium has no push service (``pushManager.subscribe`` fails with "push service not
available"), so the test takes the turning-on up to that boundary and checks the app says it
could not; it does not fake a subscription. The service worker's ``push`` handler is driven with
Chrome DevTools' ``ServiceWorker.deliverPushMessage``, the way Chromium delivers a push.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.webapp.phone import assert_accessible, new_email, sign_up

pytestmark = pytest.mark.browser


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
    listed = page.evaluate("fetch('/v1/me/push-subscriptions').then((r) => r.json())")
    if page.get_by_text("Notifications are on for this phone.").is_visible():
        assert len(listed) == 1 and listed[0]["endpoint"].startswith("https://")
        page.get_by_role("button", name="Turn off notifications", exact=True).click()
        expect(page.get_by_text("Notifications are off on this phone.", exact=False)).to_be_visible()
        assert page.evaluate("fetch('/v1/me/push-subscriptions').then((r) => r.json())") == []
    else:
        # Headless Chromium: permission granted, the key fetched, the browser's push service absent.
        assert listed == []
        expect(page.get_by_role("button", name="Turn on notifications", exact=True)).to_be_enabled()


def test_the_service_worker_shows_a_pushed_notification_with_its_screen(phone, cpl_server):
    phone.grant_permissions(["notifications"], origin=cpl_server)
    page = phone.new_page()
    sign_up(page, new_email(), name="Nia Notified")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    cdp = phone.new_cdp_session(page)
    registrations: list[dict] = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    page.wait_for_timeout(500)
    [registration] = [r for r in registrations if r["scopeURL"].startswith(cpl_server)][:1]
    payload = {"title": "cpl: verified", "body": "Sam: verified on “Course”.", "url": "/app/reviews/42", "tag": "n-1"}
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": cpl_server, "registrationId": registration["registrationId"], "data": json.dumps(payload)},
    )
    shown = page.evaluate(
        """async () => {
            const registration = await navigator.serviceWorker.ready;
            for (let i = 0; i < 50; i++) {
                const found = await registration.getNotifications({ tag: "n-1" });
                if (found.length) return found.map((n) => ({ title: n.title, body: n.body, data: n.data }));
                await new Promise((resolve) => setTimeout(resolve, 100));
            }
            return [];
        }"""
    )
    assert shown == [{"title": payload["title"], "body": payload["body"], "data": {"url": "/app/reviews/42"}}]
