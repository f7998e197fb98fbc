"""Review in the app (issue 13, items 5 and 8): a worker joins their employer, shares an entry with
their supervisor and submits it; the supervisor (through the HTTP API) comments and verifies; the
worker reads the comment and the verification, is notified, and sees the verification go stale
once they edit the entry. axe-core checks each screen on the way.
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.factories import entry_body
from tests.webapp.organisation import employer_with_supervisor, register
from tests.webapp.phone import (
    ALL_SAVED,
    WorkerApi,
    assert_accessible,
    back_to_log,
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

pytestmark = pytest.mark.browser

TITLE = "Reflective discussion on a safeguarding referral"
COMMENT = "Good reflection. Could you add what you will do at the next referral?"
STATEMENT = "I discussed this reflective account with Wren and confirm it reflects their practice."


def open_nav(page: Page, name: str) -> None:
    page.get_by_role("navigation").get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)


def test_a_worker_shares_submits_and_sees_the_comment_and_the_verification(phone, cpl_server, cpl_mailbox):
    page = phone.new_page()
    email = new_email()
    sign_up(page, email, name="Wren Worker")
    write_entry(page, TITLE)
    expect_sync_state(page, ALL_SAVED)
    confirm_address_in_browser(page, cpl_mailbox, email)
    employer = employer_with_supervisor(cpl_server, "Riverside Care", "Sam Supervisor", cpl_mailbox)
    employer.invite(email, "worker")

    open_nav(page, "Reviews")
    page.get_by_role("button", name="Join Riverside Care", exact=True).click()
    expect(page.get_by_role("heading", name="Invitations")).to_have_count(0)
    assert_accessible(page, "reviews")
    worker = WorkerApi(cpl_server, email)
    try:
        employer.supervise(worker.http.get("/v1/me").json()["id"])

        back_to_log(page)
        entry_link(page, TITLE).click()
        page.get_by_role("link", name="Share and review", exact=True).click()
        expect(page.get_by_text("Nobody: this entry is private.")).to_be_visible()
        page.get_by_label("Share with", exact=True).select_option(label="Sam Supervisor (Riverside Care)")
        page.get_by_role("button", name="Share this entry", exact=True).click()
        expect(page.get_by_text("Shared with Sam Supervisor (Riverside Care)", exact=True)).to_be_visible()
        assert_accessible(page, "sharing and review of an entry")
        [share] = worker.http.get("/v1/shares").json()
        assert share["supervisor_id"] == employer.supervisor.account_id and share["scope"] == "entries"

        textbox(page, "Note to the reviewer").fill("My reflective discussion for revalidation.")
        page.get_by_role("button", name="Submit for review", exact=True).click()
        expect(page).to_have_url(re.compile(r"/app/reviews/[0-9a-f-]{36}$"))
        review_id = page.url.rsplit("/", 1)[1]
        expect(page.get_by_text("Waiting for review", exact=True)).to_be_visible()
        assert_accessible(page, "review")

        [queued] = employer.supervisor.call("GET", "/v1/reviews", 200)["items"]
        assert queued["id"] == review_id and queued["entry_title"] == TITLE
        employer.supervisor.call("POST", f"/v1/reviews/{review_id}/comments", 200, json={"body": COMMENT})
        verification = {
            "statement": STATEMENT,
            "role": "Registered nurse, ward manager",
            "registration_number": "98Y7654E",
        }
        employer.supervisor.call("POST", f"/v1/reviews/{review_id}/verify", 200, json=verification)

        page.reload()
        expect(page.get_by_text(COMMENT, exact=True)).to_be_visible()
        held = page.get_by_role("listitem").filter(has=page.get_by_text("✓ Verified", exact=True))
        expect(held).to_contain_text(
            "Sam Supervisor, Registered nurse, ward manager, Riverside Care (self-declared organisation)"
        )
        expect(held).to_contain_text("Registration number NMC 98Y7654E (as given, not checked with the register)")
        expect(held).to_contain_text(STATEMENT)
        expect(page.get_by_text("Verified", exact=True)).to_be_visible()
        expect(page.get_by_role("button", name="Resubmit for review")).to_have_count(0)

        open_nav(page, "Notifications")
        unread = page.get_by_role("listitem").filter(has_text="Unread")
        expect(unread).to_have_count(2)
        assert_accessible(page, "notifications")
        unread.first.get_by_role("button", name=re.compile("^Mark as read")).click()
        expect(unread).to_have_count(1)
        unread.first.get_by_role("link", name="Open the review", exact=True).click()
        expect(page).to_have_url(re.compile(f"/app/reviews/{review_id}$"))

        def all_read() -> bool:
            return all(item["read_at"] for item in worker.http.get("/v1/notifications").json())

        assert eventually(all_read), worker.http.get("/v1/notifications").text

        back_to_log(page)
        entry_link(page, TITLE).click()
        textbox(page, "Description").fill("Rewritten after the review.")
        page.get_by_role("button", name="Save", exact=True).click()
        expect_sync_state(page, ALL_SAVED)
        page.get_by_role("link", name="Share and review", exact=True).click()
        expect(page.get_by_text(re.compile("^⚠ Stale"))).to_be_visible()
        [held] = worker.http.get(f"/v1/evidence/{queued['entry_id']}/verifications").json()
        assert held["stale"] is True

        page.get_by_role("link", name=re.compile(re.escape(TITLE))).click()
        textbox(page, "Comment").fill("Rewritten: please verify again.")
        page.get_by_role("button", name="Resubmit for review", exact=True).click()
        expect(page.get_by_text("Waiting for review", exact=True)).to_be_visible()
        assert employer.supervisor.call("GET", f"/v1/reviews/{review_id}", 200)["state"] == "submitted"
    finally:
        worker.close()


def test_a_supervisor_reads_the_queue_and_verifies_in_the_app(phone, cpl_server, cpl_mailbox):
    employer = employer_with_supervisor(cpl_server, "Hillside Home Care", "Rowan Supervisor", cpl_mailbox)
    worker = register(cpl_server, "Ash Worker", cpl_mailbox)
    worker.call("POST", f"/v1/invitations/{employer.invite(worker.email, 'worker')}/accept", 200)
    employer.supervise(worker.account_id)
    entry_id = str(uuid.uuid4())
    worker.call("PUT", f"/v1/evidence/{entry_id}", 201, json=entry_body(title=TITLE))
    worker.call("POST", "/v1/shares", 201, json={"organisation_id": employer.organisation_id, "entry_ids": [entry_id]})
    submission = {"entry_id": entry_id, "reviewer_id": employer.supervisor.account_id}
    worker.call("POST", "/v1/reviews", 201, json={**submission, "organisation_id": employer.organisation_id})

    page = phone.new_page()
    sign_in(page, employer.supervisor.email, totp_secret=employer.supervisor.totp_secret)
    open_nav(page, "Reviews")
    queue = page.get_by_role("region", name="Waiting for my review")
    queue.get_by_role("link", name=re.compile(re.escape(TITLE))).click()
    expect(page.get_by_text("Waiting for review", exact=True)).to_be_visible()
    textbox(page, "Comment").fill(COMMENT)
    page.get_by_role("button", name="Send comment", exact=True).click()
    expect(page.get_by_role("listitem").filter(has_text="Rowan Supervisor commented")).to_contain_text(COMMENT)
    textbox(page, "Verification statement").fill(STATEMENT)
    textbox(page, "Your role").fill("Registered manager")
    page.get_by_role("checkbox", name=re.compile("^I declare")).check()
    assert_accessible(page, "review (the reviewer's side)")
    page.get_by_role("button", name="Verify", exact=True).click()
    expect(page.get_by_text("Verified", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Verify", exact=True)).to_have_count(0)

    [verification] = worker.call("GET", f"/v1/evidence/{entry_id}/verifications", 200)
    assert verification["verifier_name"] == "Rowan Supervisor" and verification["statement"] == STATEMENT
    assert verification["verifier_role"] == "Registered manager" and verification["stale"] is False
    worker.http.close()
    employer.supervisor.http.close()
