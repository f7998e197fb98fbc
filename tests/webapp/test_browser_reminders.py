"""Reminders in the app (issue 19): the Account screen's "Reminders" section sets the days before a
due date, turns e-mail reminders off, and sets the time zone and quiet hours; its calendar address
serves an iCalendar feed until it is revoked. axe-core checks the section."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import expect

from tests.webapp.phone import assert_accessible, new_email, sign_up

pytestmark = pytest.mark.browser

#: The signed-in app's own request for the settings (its session cookie and header).
MY_SETTINGS = "fetch('/v1/me/reminder-settings', { headers: { 'X-CPL-App': '1' } }).then((r) => r.json())"


def test_a_worker_sets_reminders_and_subscribes_a_calendar_then_revokes_it(phone, cpl_server):
    page = phone.new_page()
    sign_up(page, new_email(), name="Rhona Reminder")
    page.get_by_role("navigation").get_by_role("link", name="Account and devices", exact=True).click()
    expect(page.get_by_role("heading", name="Reminders", level=2)).to_be_visible()
    days = page.get_by_role("textbox", name="Days before the due date")
    expect(days).to_have_value("90, 30, 7")
    assert_accessible(page, "reminders")

    days.fill("60, 14")
    page.get_by_role("checkbox", name="Remind me by e-mail").uncheck()
    page.get_by_role("textbox", name="Time zone").fill("Europe/Dublin")
    page.get_by_role("button", name="Save reminders", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Reminder settings saved.")).to_be_visible()
    saved = page.evaluate(MY_SETTINGS)
    assert saved["days_before"] == [60, 14]
    assert saved["email"] is False and saved["in_app"] is True
    assert saved["time_zone"] == "Europe/Dublin"

    page.get_by_role("textbox", name="Time zone").fill("Mars/Olympus_Mons")
    page.get_by_role("button", name="Save reminders", exact=True).click()
    expect(page.get_by_text("time_zone", exact=False)).to_be_visible()
    assert page.evaluate(MY_SETTINGS)["time_zone"] == "Europe/Dublin"

    page.get_by_role("button", name="Make a calendar address", exact=True).click()
    address = page.locator("code.secret")
    expect(address).to_contain_text("/calendar/")
    feed = httpx.get(address.inner_text(), timeout=30)
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    assert feed.text.startswith("BEGIN:VCALENDAR")

    page.get_by_role("button", name="Revoke the calendar address", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="The calendar address no longer works.")).to_be_visible()
    assert httpx.get(feed.url, timeout=30).status_code == 404
