"""Audit requests in the browser (issue 15, item 3), as helpers the step-by-step test and the
whole-chain test share: the auditor sends a request from "Audits", the worker answers it from
"Audit requests", the auditor finds the answer's link and passcode and records the outcome."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import Page, expect

from tests.webapp.phone import assert_accessible, textbox

MESSAGE = "You were selected for this year's CPD audit."
NOTE = "Your record meets the CPD standards."
#: The period the step-by-step test asks for.
PERIOD = ("2024-01-01", "2025-12-31")


def open_nav(page: Page, name: str) -> None:
    page.get_by_role("navigation").get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)


def send_request(page: Page, email: str, register: str = "HCPC", period: tuple[str, str] = PERIOD) -> None:
    """From "Audits": ask ``email`` for their record on ``register`` for ``period``, due in four weeks."""
    open_nav(page, "Audits")
    textbox(page, "Email").fill(email)
    page.get_by_label("Register", exact=True).select_option(label=register)
    page.get_by_label("From", exact=True).fill(period[0])
    page.get_by_label("To", exact=True).fill(period[1])
    page.get_by_label("Deadline", exact=True).fill((date.today() + timedelta(days=28)).isoformat())
    textbox(page, "Message").fill(MESSAGE)
    page.get_by_role("button", name="Send request", exact=True).click()
    expect(page.get_by_text(f"Request sent to {email}.", exact=True)).to_be_visible()
    assert_accessible(page, "audits")


def answer_request(page: Page, regulator: str, period: tuple[str, str] = PERIOD) -> None:
    """The worker opens the request from ``regulator`` in "Audit requests" and answers it with the
    export the form pre-selects."""
    page.goto("/app/")
    open_nav(page, "Audit requests")
    page.get_by_role("link", name=f"Open the request from {regulator}", exact=True).click()
    expect(page.get_by_text(MESSAGE, exact=True)).to_be_visible()
    expect(page.get_by_label("Registration", exact=True)).to_have_value(re.compile("[0-9a-f-]{36}"))
    expect(page.get_by_label("From", exact=True)).to_have_value(period[0])
    assert_accessible(page, "an audit request")
    textbox(page, "Note to the auditor").fill("My record for the period you asked for.")
    page.get_by_role("button", name="Make the export and send it", exact=True).click()
    expect(page.get_by_text("Answered", exact=True)).to_be_visible(timeout=60_000)


def open_answer(page: Page, worker_email: str) -> tuple[str, str]:
    """The auditor opens the request to ``worker_email`` in "Audits": (the shared record's link, its passcode)."""
    page.reload()
    open_nav(page, "Audits")
    page.get_by_role("link", name=f"To {worker_email}", exact=True).click()
    shared = page.get_by_role("link", name="Open the shared record", exact=True)
    expect(shared).to_have_attribute("href", re.compile(r"/shared/[A-Za-z0-9_-]{43}$"))
    passcode = page.locator("code").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", passcode), passcode
    assert_accessible(page, "an audit")
    return shared.get_attribute("href"), passcode


def record_outcome(page: Page) -> None:
    """On the open audit: "Accepted" with :data:`NOTE`; the audit shows it."""
    page.get_by_label("Outcome", exact=True).select_option(label="Accepted")
    textbox(page, "Note").fill(NOTE)
    page.get_by_role("button", name="Record outcome", exact=True).click()
    expect(page.get_by_role("button", name="Record outcome")).to_have_count(0)
    expect(page.get_by_text("Accepted", exact=True)).to_be_visible()
    expect(page.get_by_text(NOTE, exact=True)).to_be_visible()


def sees_outcome(page: Page, regulator: str, register: str = "HCPC") -> None:
    """The worker sees the outcome on the request and in their notifications."""
    page.reload()
    expect(page.get_by_text("Accepted", exact=True)).to_be_visible()
    expect(page.get_by_text(NOTE, exact=True)).to_be_visible()
    open_nav(page, "Notifications")
    outcome = page.get_by_role("paragraph").filter(has_text=f"{regulator}: your {register} audit — accepted")
    expect(outcome).to_be_visible()
