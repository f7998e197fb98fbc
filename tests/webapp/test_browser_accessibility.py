"""Every screen of the app, checked by axe-core, at 320 px, and under the strict CSP (issue 13, items 6 and 7).

The screens are reached as a worker reaches them: the sign-in and account-creation screens, the
log, the editor for a new and for a saved entry, and every screen the main navigation lists. The
conflict screen and the editor while recording are checked in their own tests.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.webapp.phone import assert_accessible, new_email, sign_up, write_entry

pytestmark = pytest.mark.browser

NARROWEST = 320


def assert_fits_the_narrowest_phone(page: Page, screen: str) -> None:
    """WCAG 2.1 SC 1.4.10 (reflow): at 320 CSS pixels nothing needs scrolling sideways."""
    size = page.viewport_size
    page.set_viewport_size({"width": NARROWEST, "height": 640})
    try:
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"the {screen} screen is {overflow} px wider than a {NARROWEST} px screen"
    finally:
        page.set_viewport_size(size)


def check(page: Page, screen: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page, screen)
    assert_fits_the_narrowest_phone(page, screen)


def test_every_screen_is_accessible_fits_320_px_and_runs_under_the_csp(phone):
    page = phone.new_page()
    refused: list[str] = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    page.on("pageerror", lambda error: refused.append(f"uncaught: {error}"))

    page.goto("/app/")
    check(page, "sign-in")
    page.get_by_role("link", name="Create account").or_(page.get_by_role("button", name="Create account")).first.click()
    check(page, "account creation")

    sign_up(page, new_email())
    check(page, "log (empty)")
    page.get_by_role("button", name="New entry", exact=True).click()
    check(page, "new entry")
    page.get_by_role("navigation").get_by_role("link", name="My log", exact=True).click()
    write_entry(page, "Accessible entry")
    check(page, "editor")

    navigation = page.get_by_role("navigation").get_by_role("link")
    names = navigation.all_inner_texts()
    assert "My log" in names and len(names) >= 2, names
    for name in names:
        link = page.get_by_role("navigation").get_by_role("link", name=name, exact=True)
        address = link.get_attribute("href")
        link.click()
        expect(page).to_have_url(re.compile(re.escape(address) + "$"))
        check(page, name)

    assert not refused, "\n".join(refused)
