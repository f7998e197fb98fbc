"""Issue 15, item 6: the whole chain in headless Chromium, each person in a phone-sized browser of
their own, with nothing but the app and the links cpl mails them.

An employer's admin creates the organisation and invites a supervisor and a worker by e-mail, a
regulator's admin invites an auditor; each accepts through the mailed link. The admin links the
supervisor to the worker. The worker logs an entry with a photo and a PDF, shares it and submits
it; the supervisor opens the "Reviews" list, views both files and verifies; the worker edits the
entry, the verification goes stale and both are notified. The admin finds the worker in the
"Workforce" table with the status the requirements engine gives and downloads the CSV. The auditor
sends an audit request, the worker answers it from the app, the auditor opens the portfolio at
``/shared/{token}`` with its passcode and records the outcome, which the worker sees; the export
downloaded from the portfolio is recognised on ``/verify/{id}`` ("Check a file") and a changed copy
is not.

Set-up that the issue does not name is made through the HTTP API: the admins' accounts and every
second factor (administering and verifying need one; ``test_browser_second_factor`` drives that
screen), and the worker's registration.
"""

from __future__ import annotations

import csv
import re
import uuid
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.attachments import corpus
from tests.factories import PASSWORD
from tests.mailbox import last_mail_to, link_in
from tests.webapp.audits import answer_request, open_answer, open_nav, record_outcome, sees_outcome, send_request
from tests.webapp.conftest import PHONE
from tests.webapp.organisation import Person, enrol_second_factor, register
from tests.webapp.phone import (
    ALL_SAVED,
    WorkerApi,
    assert_fits_the_phone,
    attach_file,
    attach_photo,
    confirm_address_in_browser,
    entry_link,
    eventually,
    expect_sync_state,
    new_email,
    sign_in,
    sign_up,
    textbox,
    write_entry,
)
from tests.webapp.public_pages import check_file_on_verify, open_with_passcode
from tests.webapp.supervision import CERTIFICATE, PHOTO, check_files_are_viewable, open_from_queue, verify

pytestmark = pytest.mark.browser

EMPLOYER = "Riverside Care"
REGULATOR = "Scottish Social Services Council"
TITLE = "Safeguarding adults level 2"
CYCLE_START = (date.today() - timedelta(days=200)).isoformat()


class Chain:
    """The people of the chain: a phone-sized browser page each, and their addresses."""

    def __init__(self, chromium, base_url: str, mailbox) -> None:
        self.chromium, self.base_url, self.mailbox = chromium, base_url, mailbox
        self.contexts = []
        self.clients: list[WorkerApi] = []
        self.emails: dict[str, str] = {}

    def page(self) -> Page:
        context = self.chromium.new_context(base_url=self.base_url, **PHONE)
        context.set_default_timeout(15_000)
        self.contexts.append(context)
        return context.new_page()

    def newcomer(self, role: str, name: str) -> Page:
        """Someone who signs up in the app and confirms their address from the mail."""
        page, email = self.page(), new_email().replace("worker-", f"{role}-")
        sign_up(page, email, name=name)
        confirm_address_in_browser(page, self.mailbox, email)
        self.emails[role] = email
        return page

    def admin(self, name: str) -> tuple[Page, Person]:
        """An admin whose account and second factor are made through the API, signed in in the app."""
        person = register(self.base_url, name, self.mailbox)
        secret = enrol_second_factor(person)
        page = self.page()
        sign_in(page, person.email, totp_secret=secret)
        return page, person

    def api(self, role: str) -> WorkerApi:
        """The person's record through the HTTP API, as the same person."""
        self.clients.append(WorkerApi(self.base_url, self.emails[role]))
        return self.clients[-1]

    def close(self) -> None:
        for context in self.contexts:
            context.close()
        for client in self.clients:
            client.close()


def create_and_invite(page: Page, organisation: str, kind: str, invitations: list[tuple[str, str]]) -> None:
    """From "Organisations": create it, open it, invite each (address, role) with "Email", "Role" and "Invite"."""
    page.get_by_role("navigation").get_by_role("link", name="Organisations", exact=True).click()
    textbox(page, "Organisation name").fill(organisation)
    page.get_by_label("Kind", exact=True).select_option(kind)
    page.get_by_role("button", name="Create", exact=True).click()
    page.get_by_role("link", name=f"Administer {organisation}", exact=True).click()
    for email, role in invitations:
        textbox(page, "Email").fill(email)
        page.get_by_role("combobox", name="Role", exact=True).select_option(role)
        page.get_by_role("button", name="Invite", exact=True).click()
        expect(page.get_by_role("status").filter(has_text=f"Invitation mailed to {email}.")).to_be_visible()


def accept_mailed_invitation(page: Page, mailbox, email: str, organisation: str) -> None:
    """Open the invitation's link from the mail, give the password, join; back to the app."""
    page.goto(link_in(last_mail_to(mailbox, email), "/invitations/accept"))
    page.get_by_label(f"Password of {email}", exact=True).fill(PASSWORD)
    page.get_by_role("button", name=f"Accept and join {organisation}", exact=True).click()
    expect(page.get_by_role("heading", name=f"You have joined {organisation}")).to_be_visible()
    page.goto("/app/")


def link_supervisor(page: Page, supervisor: str, worker: str) -> None:
    """On the organisation's screen: make ``supervisor`` the supervisor of ``worker``."""
    page.reload()
    page.get_by_role("combobox", name="Supervisor", exact=True).select_option(label=supervisor)
    page.get_by_role("combobox", name="Worker", exact=True).select_option(label=worker)
    page.get_by_role("button", name="Link supervisor", exact=True).click()
    expect(page.get_by_role("button", name=f"End {supervisor} supervising {worker}", exact=True)).to_be_visible()


def log_share_and_submit(page: Page) -> None:
    """The worker logs the entry with a photo and a PDF, shares it with the employer and with their
    supervisor, and submits it to the supervisor."""
    page.goto("/app/")
    write_entry(page, TITLE)
    attach_photo(page, corpus.jpeg(), PHOTO)
    attach_file(page, corpus.pdf(), CERTIFICATE, "application/pdf")
    expect_sync_state(page, ALL_SAVED)
    page.get_by_role("link", name="Share and review", exact=True).click()
    share_with = page.get_by_role("combobox", name="Share with", exact=True)
    for whom in (f"everyone who reviews at {EMPLOYER}", f"Sam Supervisor ({EMPLOYER})"):
        share_with.select_option(label=whom)
        page.get_by_role("button", name="Share this entry", exact=True).click()
        expect(page.get_by_text(f"Shared with {whom}", exact=True)).to_be_visible()
    page.get_by_role("combobox", name="Reviewer", exact=True).select_option(label=f"Sam Supervisor ({EMPLOYER})")
    textbox(page, "Note to the reviewer").fill("The certificate and the ward board are attached.")
    page.get_by_role("button", name="Submit for review", exact=True).click()
    expect(page.get_by_role("heading", name=f"Review: {TITLE}")).to_be_visible()


def edit_entry(page: Page) -> None:
    """The worker rewrites the description of the verified entry; it reaches the server."""
    page.goto("/app/")
    entry_link(page, TITLE).click()
    textbox(page, "Description").fill("Rewritten after the course: the escalation flowchart is attached.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect_sync_state(page, ALL_SAVED)


def notified(page: Page, words: str) -> None:
    open_nav(page, "Notifications")
    expect(page.get_by_role("paragraph").filter(has_text=words)).to_be_visible()


def workforce_shows(page: Page, admin: Person, organisation_id: str, worker_email: str) -> None:
    """The admin's "Workforce" table has the worker with the engine's status; the CSV says the same."""
    [line] = admin.call("GET", f"/v1/organisations/{organisation_id}/workforce", 200)["items"]
    assert line["display_name"] == "Wren Worker" and line["shared_entries"] == 1
    assert line["status"] == "at_risk", line
    open_nav(page, "Workforce")
    row = page.get_by_role("table", name="Workforce", exact=True).get_by_role("row").filter(has_text="Wren Worker")
    expect(row).to_have_count(1)
    expect(row.get_by_role("cell").nth(0)).to_have_text("At risk")
    expect(row).to_contain_text(f"SSSC elc: due {line['registrations'][0]['due_on']}, At risk")
    expect(row).to_contain_text("Sam Supervisor")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV", exact=True).click()
    with open(download.value.path(), newline="", encoding="utf-8") as handle:
        [csv_line] = list(csv.DictReader(handle))
    assert (csv_line["worker_id"], csv_line["worker_name"]) == (line["worker_id"], "Wren Worker")
    assert (csv_line["status"], csv_line["register"], csv_line["shared_entries"]) == ("at_risk", "sssc", "1")
    assert csv_line["last_activity"] == date.today().isoformat()
    assert "Sam Supervisor" in csv_line["supervisors"]


def auditor_opens_the_portfolio(page: Page, url: str, passcode: str) -> bytes:
    """``/shared/{token}`` with "Passcode" and "Open": the entry as edited (its verification stale, so not
    carried), its files; the whole export downloaded; its bytes."""
    open_with_passcode(page, url, passcode)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wren Worker")
    entry = page.get_by_role("article").filter(has=page.get_by_role("heading", name=TITLE))
    expect(entry).to_contain_text("Rewritten after the course")
    # The verification went stale with the edit: the export carries none for the entry.
    expect(entry).to_contain_text("Not verified.")
    expect(entry.get_by_role("img", name=PHOTO)).to_be_visible()
    expect(entry.get_by_role("link", name=f"View {CERTIFICATE}", exact=True)).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the whole export", exact=True).click()
    with open(download.value.path(), "rb") as saved:
        return saved.read()


def test_the_whole_chain(chromium, cpl_server, cpl_mailbox):
    chain = Chain(chromium, cpl_server, cpl_mailbox)
    try:
        supervisor_page = chain.newcomer("supervisor", "Sam Supervisor")
        worker_page = chain.newcomer("worker", "Wren Worker")
        auditor_page = chain.newcomer("auditor", "Ari Auditor")
        admin_page, admin = chain.admin("Ada Admin")
        regulator_page, _ = chain.admin("Rae Admin")

        create_and_invite(
            admin_page,
            EMPLOYER,
            "employer",
            [(chain.emails["supervisor"], "supervisor"), (chain.emails["worker"], "worker")],
        )
        create_and_invite(regulator_page, REGULATOR, "regulator", [(chain.emails["auditor"], "auditor")])
        accept_mailed_invitation(supervisor_page, cpl_mailbox, chain.emails["supervisor"], EMPLOYER)
        accept_mailed_invitation(worker_page, cpl_mailbox, chain.emails["worker"], EMPLOYER)
        accept_mailed_invitation(auditor_page, cpl_mailbox, chain.emails["auditor"], REGULATOR)
        link_supervisor(admin_page, "Sam Supervisor", "Wren Worker")

        worker = chain.api("worker")
        registration = {"register": "sssc", "registration_number": "SSSC-1", "part": "elc"}
        registration |= {"cycle_start": CYCLE_START, "renewal_date": (date.today() + timedelta(days=1600)).isoformat()}
        assert worker.http.put(f"/v1/me/registrations/{uuid.uuid4()}", json=registration).status_code == 201
        log_share_and_submit(worker_page)

        # Verifying needs a session opened with a second factor: turned on, then a new sign-in.
        supervisor = chain.api("supervisor")
        secret = enrol_second_factor(Person(supervisor.http, "", chain.emails["supervisor"]))
        supervisor_page = chain.page()
        sign_in(supervisor_page, chain.emails["supervisor"], totp_secret=secret)
        open_from_queue(supervisor_page, TITLE)
        check_files_are_viewable(supervisor_page)
        assert_fits_the_phone(supervisor_page, "review")
        verify(supervisor_page, "I confirm Wren completed this course.", "Registered manager", "98Y7654E")

        edit_entry(worker_page)
        entry_id = worker.entry_titled(TITLE)["id"]
        assert eventually(lambda: worker.http.get(f"/v1/evidence/{entry_id}/verifications").json()[0]["stale"])
        notified(supervisor_page, f"Your verification of “{TITLE}” no longer holds")
        notified(worker_page, f"Sam Supervisor's verification of “{TITLE}” no longer holds")

        [organisation] = admin.call("GET", "/v1/organisations", 200)
        workforce_shows(admin_page, admin, organisation["id"], chain.emails["worker"])
        assert_fits_the_phone(admin_page, "workforce")

        period = (CYCLE_START, date.today().isoformat())
        auditor_page.goto("/app/")
        send_request(auditor_page, chain.emails["worker"], register="SSSC", period=period)
        answer_request(worker_page, REGULATOR, period)
        url, passcode = open_answer(auditor_page, chain.emails["worker"])
        audit_url = auditor_page.url
        export = auditor_opens_the_portfolio(auditor_page, url, passcode)
        assert_fits_the_phone(auditor_page, "shared portfolio")
        auditor_page.get_by_role("link", name=re.compile(r"^\/verify\/[0-9a-f-]{36}$")).click()
        expect(auditor_page.get_by_label("Check a file", exact=True)).to_be_attached()
        check_file_on_verify(auditor_page, export, "record.pdf")
        assert_fits_the_phone(auditor_page, "verify")
        auditor_page.goto(audit_url)
        record_outcome(auditor_page)
        assert_fits_the_phone(auditor_page, "audit")
        sees_outcome(worker_page, REGULATOR, register="SSSC")
    finally:
        chain.close()
