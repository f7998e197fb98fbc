"""Registrations and progress in the app (issue 13, item 5): a worker adds an HCPC registration and
sees each rule's figures, due date and status in words, explains the gap the continuous-record rule
found, and reads the "if audited today" profile; an NMC registration brings the NMC prompts into the
editor's reflection. axe-core checks the screen.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.webapp.phone import (
    ALL_SAVED,
    WorkerApi,
    assert_accessible,
    back_to_log,
    expect_sync_state,
    new_email,
    sign_up,
    write_entry,
)

pytestmark = pytest.mark.browser

GAP_RULE = "A continuous record: any gap of three consecutive months or more is explained"


def add_registration(page: Page, register: str, number: str, start: date, renewal: date) -> None:
    page.get_by_role("button", name="Add registration", exact=True).click()
    page.get_by_label("Register", exact=True).select_option(register)
    page.get_by_label("Registration number", exact=True).fill(number)
    page.get_by_label("Cycle started on", exact=True).fill(start.isoformat())
    page.get_by_label("Renewal due on", exact=True).fill(renewal.isoformat())
    page.get_by_role("button", name="Add registration", exact=True).click()


def test_rules_gaps_and_the_audit_profile_of_a_registration(phone, cpl_server):
    page = phone.new_page()
    email = new_email()
    sign_up(page, email)
    write_entry(page, "Paramedic clinical update")
    expect_sync_state(page, ALL_SAVED)
    start = date.today() - timedelta(days=200)

    page.get_by_role("navigation").get_by_role("link", name="Progress", exact=True).click()
    expect(page.get_by_text("No registrations yet.", exact=False)).to_be_visible()
    assert_accessible(page, "progress (no registrations)")
    add_registration(page, "hcpc", "PA123456", start, start + timedelta(days=730))

    card = page.get_by_role("region", name="HCPC standards of continuing professional development PA123456")
    rule = card.get_by_role("listitem").filter(has=page.get_by_role("heading", name=GAP_RULE))
    expect(rule.get_by_text("Status: ! At risk", exact=True)).to_be_visible()
    expect(rule.get_by_role("definition").first).to_have_text("0 unexplained gaps")
    expect(rule.get_by_role("definition").nth(1)).to_have_text("1 unexplained gap")
    assert_accessible(page, "progress (an HCPC registration)")

    rule.get_by_role("button", name="Explain the gap").click()
    expect(card.get_by_label("Gap starts on", exact=True)).to_have_value(start.isoformat())
    card.get_by_label("Reason", exact=True).fill("Parental leave")
    card.get_by_role("button", name="Add explanation", exact=True).click()
    expect(rule.get_by_text("Status: ✓ Met")).to_be_visible()
    expect(card.get_by_role("listitem").filter(has_text="Parental leave")).to_have_count(1)

    card.get_by_role("button", name="If audited today").click()
    audit = card.get_by_role("region", name="If audited today")
    expect(audit.get_by_role("heading", name="Gaps already explained")).to_be_visible()
    expect(audit.get_by_role("listitem").filter(has_text=GAP_RULE)).to_contain_text("✓ Met")
    assert_accessible(page, "progress (the audit profile)")

    api = WorkerApi(cpl_server, email)
    try:
        [registration] = api.http.get("/v1/me/registrations").json()
        assert (registration["register"], registration["registration_number"]) == ("hcpc", "PA123456")
        [explanation] = api.http.get(f"/v1/me/registrations/{registration['id']}/gap-explanations").json()
        assert explanation["reason"] == "Parental leave" and explanation["starts_on"] == start.isoformat()
    finally:
        api.close()

    add_registration(page, "nmc", "12A3456E", start, start + timedelta(days=1095))
    expect(page.get_by_role("region", name="NMC revalidation 12A3456E")).to_be_visible()
    back_to_log(page)
    page.get_by_role("button", name="New entry", exact=True).click()
    expect(page.get_by_text("NMC reflective account", exact=False).first).to_be_visible()
