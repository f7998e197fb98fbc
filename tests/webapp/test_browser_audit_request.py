"""Audit requests in the app (issue 15, item 3): a regulator's auditor sends a request from the app,
the worker answers it from the app with an export made for it, the auditor opens the answer (the
shared record's link and its passcode) and records the outcome, and the worker sees it.
axe-core checks each screen on the way.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.webapp.organisation import enrol_second_factor, register
from tests.webapp.phone import (
    WorkerApi,
    assert_accessible,
    confirm_address_in_browser,
    new_email,
    sign_in,
    sign_up,
    textbox,
)

pytestmark = pytest.mark.browser

REGULATOR = "Health Regulator"
MESSAGE = "You were selected for this year's CPD audit."
NOTE = "Your record meets the CPD standards."


def open_nav(page: Page, name: str) -> None:
    page.get_by_role("navigation").get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)


def regulator_with_auditor(base_url: str, mailbox):
    """A regulator made through the API; its auditor signs in from the browser."""
    admin = register(base_url, "Rae Admin", mailbox)
    enrol_second_factor(admin)
    organisation = admin.call("POST", "/v1/organisations", 201, json={"name": REGULATOR, "kind": "regulator"})
    auditor = register(base_url, "Ari Auditor", mailbox)
    invited = admin.call(
        "POST",
        f"/v1/organisations/{organisation['id']}/invitations",
        201,
        json={"email": auditor.email, "role": "auditor"},
    )
    auditor.call("POST", f"/v1/invitations/{invited['id']}/accept", 200)
    return auditor


def send_request(page: Page, email: str) -> None:
    open_nav(page, "Audits")
    textbox(page, "Email").fill(email)
    page.get_by_label("Register", exact=True).select_option(label="HCPC")
    page.get_by_label("From", exact=True).fill("2024-01-01")
    page.get_by_label("To", exact=True).fill("2025-12-31")
    page.get_by_label("Deadline", exact=True).fill((date.today() + timedelta(days=28)).isoformat())
    textbox(page, "Message").fill(MESSAGE)
    page.get_by_role("button", name="Send request", exact=True).click()
    expect(page.get_by_text(f"Request sent to {email}.", exact=True)).to_be_visible()
    assert_accessible(page, "audits")


def answer_request(page: Page) -> None:
    page.goto("/app/")
    open_nav(page, "Audit requests")
    page.get_by_role("link", name=f"Open the request from {REGULATOR}", exact=True).click()
    expect(page.get_by_text(MESSAGE, exact=True)).to_be_visible()
    expect(page.get_by_label("Registration", exact=True)).to_have_value(re.compile("[0-9a-f-]{36}"))
    expect(page.get_by_label("From", exact=True)).to_have_value("2024-01-01")
    assert_accessible(page, "an audit request")
    textbox(page, "Note to the auditor").fill("My HCPC record for 2024 and 2025.")
    page.get_by_role("button", name="Make the export and send it", exact=True).click()
    expect(page.get_by_text("Answered", exact=True)).to_be_visible(timeout=60_000)


def record_outcome(page: Page, worker_email: str, base_url: str) -> None:
    page.reload()
    open_nav(page, "Audits")
    page.get_by_role("link", name=f"To {worker_email}", exact=True).click()
    shared = page.get_by_role("link", name="Open the shared record", exact=True)
    expect(shared).to_have_attribute("href", re.compile(r"/shared/[A-Za-z0-9_-]{43}$"))
    passcode = page.locator("code").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", passcode), passcode
    assert_accessible(page, "an audit")
    opened = httpx.get(shared.get_attribute("href"), headers={"X-Share-Passcode": passcode}, timeout=30)
    assert opened.status_code == 200, opened.text
    page.get_by_label("Outcome", exact=True).select_option(label="Accepted")
    textbox(page, "Note").fill(NOTE)
    page.get_by_role("button", name="Record outcome", exact=True).click()
    expect(page.get_by_role("button", name="Record outcome")).to_have_count(0)
    expect(page.get_by_text("Accepted", exact=True)).to_be_visible()
    expect(page.get_by_text(NOTE, exact=True)).to_be_visible()


def test_an_auditor_asks_the_worker_answers_and_sees_the_outcome(phone, chromium, cpl_server, cpl_mailbox):
    worker_page = phone.new_page()
    email = new_email()
    sign_up(worker_page, email, name="Wren Worker")
    confirm_address_in_browser(worker_page, cpl_mailbox, email)
    worker = WorkerApi(cpl_server, email)
    desk = chromium.new_context(base_url=cpl_server)
    desk.set_default_timeout(15_000)
    try:
        registration = {
            "register": "hcpc",
            "registration_number": "REG-1",
            "part": "paramedic",
            "cycle_start": "2024-01-01",
            "renewal_date": "2026-01-01",
        }
        assert worker.http.put(f"/v1/me/registrations/{uuid.uuid4()}", json=registration).status_code == 201
        auditor = regulator_with_auditor(cpl_server, cpl_mailbox)
        auditor_page = desk.new_page()
        sign_in(auditor_page, auditor.email)
        send_request(auditor_page, email)

        answer_request(worker_page)
        record_outcome(auditor_page, email, cpl_server)

        worker_page.reload()
        expect(worker_page.get_by_text("Accepted", exact=True)).to_be_visible()
        expect(worker_page.get_by_text(NOTE, exact=True)).to_be_visible()
        open_nav(worker_page, "Notifications")
        outcome = worker_page.get_by_role("paragraph").filter(has_text=f"{REGULATOR}: your HCPC audit — accepted")
        expect(outcome).to_be_visible()
    finally:
        worker.close()
        desk.close()
