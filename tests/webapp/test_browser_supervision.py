"""Issue 15, the supervisor's side in the app: the queue named "Reviews", the entry's photo and PDF
viewable through their short-lived links, a comment and a verification; the worker's edit makes it
stale and both sides are notified."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.webapp.organisation import employer_with_supervisor, register
from tests.webapp.phone import assert_accessible, eventually, sign_in
from tests.webapp.supervision import (
    check_files_are_viewable,
    comment,
    open_from_queue,
    submit_with_photo_and_pdf,
    verify,
)

pytestmark = pytest.mark.browser

TITLE = "Safeguarding adults level 2"


def test_a_supervisor_views_the_files_verifies_and_hears_when_it_goes_stale(phone, cpl_server, cpl_mailbox):
    employer = employer_with_supervisor(cpl_server, "Riverside Care", "Sam Supervisor", cpl_mailbox)
    worker = register(cpl_server, "Wren Worker", cpl_mailbox)
    try:
        worker.call("POST", f"/v1/invitations/{employer.invite(worker.email, 'worker')}/accept", 200)
        employer.supervise(worker.account_id)
        entry_id, review_id = submit_with_photo_and_pdf(employer, worker, TITLE)

        page = phone.new_page()
        sign_in(page, employer.supervisor.email, totp_secret=employer.supervisor.totp_secret)
        open_from_queue(page, TITLE)
        expect(page.get_by_text("How to escalate a concern out of hours.", exact=True)).to_be_visible()
        check_files_are_viewable(page)
        comment(page, "Certificate and photo read.")
        verify(page, "I confirm Wren completed this course.", "Registered manager", "98Y7654E")
        assert_accessible(page, "review with files (the reviewer's side)")
        [verification] = worker.call("GET", f"/v1/evidence/{entry_id}/verifications", 200)
        assert verification["stale"] is False and verification["review_id"] == review_id

        headers = {"If-Match": '"1"'}
        worker.call("PATCH", f"/v1/evidence/{entry_id}", 200, json={"description": "Rewritten."}, headers=headers)
        [verification] = worker.call("GET", f"/v1/evidence/{entry_id}/verifications", 200)
        assert verification["stale"] is True

        def stale_for(person) -> list[dict]:
            notes = person.call("GET", "/v1/notifications", 200)
            return [note for note in notes if note["kind"] == "verification_stale"]

        assert eventually(lambda: stale_for(worker)) and eventually(lambda: stale_for(employer.supervisor))
        page.get_by_role("navigation").get_by_role("link", name="Notifications", exact=True).click()
        stale = page.get_by_role("paragraph").filter(has_text=f"Your verification of “{TITLE}” no longer holds")
        expect(stale).to_be_visible()
    finally:
        worker.http.close()
        employer.supervisor.http.close()
