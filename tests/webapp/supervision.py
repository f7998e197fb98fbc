"""The supervisor's side in the browser (issue 15), as helpers a whole-chain test can reuse:
a worker's entry with a photo and a PDF, shared and submitted through the API; the supervisor
opening it from the queue, viewing its files, commenting and verifying in the app."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect

from tests.attachments import corpus
from tests.factories import entry_body
from tests.webapp.organisation import Employer, Person
from tests.webapp.phone import textbox

PHOTO = "ward-whiteboard.jpg"
CERTIFICATE = "safeguarding-certificate.pdf"


def submit_with_photo_and_pdf(employer: Employer, worker: Person, title: str) -> tuple[str, str]:
    """The worker's new entry with a photo and a PDF, shared with the employer's supervisor and
    submitted to them; (entry id, review id)."""
    entry_id = str(uuid.uuid4())
    worker.call("PUT", f"/v1/evidence/{entry_id}", 201, json=entry_body(title=title))
    for name, content, media_type in (
        (PHOTO, corpus.jpeg(), "image/jpeg"),
        (CERTIFICATE, corpus.pdf(), "application/pdf"),
    ):
        response = worker.http.post(f"/v1/evidence/{entry_id}/attachments", files={"file": (name, content, media_type)})
        assert response.status_code == 201, response.text
    share = {"organisation_id": employer.organisation_id, "supervisor_id": employer.supervisor.account_id}
    worker.call("POST", "/v1/shares", 201, json={**share, "entry_ids": [entry_id]})
    submission = {"entry_id": entry_id, "reviewer_id": employer.supervisor.account_id}
    review = worker.call("POST", "/v1/reviews", 201, json={**submission, "organisation_id": employer.organisation_id})
    return entry_id, review["id"]


def open_from_queue(page: Page, title: str) -> None:
    """From the Reviews screen, open the review of ``title`` in the list named "Reviews"."""
    page.get_by_role("navigation").get_by_role("link", name="Reviews", exact=True).click()
    queue = page.get_by_role("list", name="Reviews", exact=True)
    queue.get_by_role("link", name=re.compile(re.escape(title))).click()
    expect(page.get_by_role("heading", name=f"Review: {title}")).to_be_visible()


def check_files_are_viewable(page: Page) -> None:
    """The photo is shown (decoded: naturalWidth > 0) and the PDF's link answers a PDF."""
    photo = page.get_by_role("img", name=f"Photo: {PHOTO}")
    expect(photo).to_be_visible()
    page.wait_for_function("image => image.complete && image.naturalWidth > 0", arg=photo.element_handle())
    link = page.get_by_role("link", name=f"Open {CERTIFICATE} (PDF)")
    opened = page.request.get(link.get_attribute("href"))
    assert opened.status == 200 and opened.headers["content-type"] == "application/pdf"
    assert opened.body().startswith(b"%PDF")


def comment(page: Page, text: str) -> None:
    textbox(page, "Comment").fill(text)
    page.get_by_role("button", name="Send comment", exact=True).click()
    expect(page.get_by_role("listitem").filter(has_text="commented")).to_contain_text(text)


def verify(page: Page, statement: str, role: str, registration_number: str = "") -> None:
    """Fill the verification, tick the declaration, press "Verify"; the review shows verified."""
    textbox(page, "Verification statement").fill(statement)
    textbox(page, "Your role").fill(role)
    if registration_number:
        textbox(page, "Your registration number (if you have one)").fill(registration_number)
    page.get_by_role("checkbox", name=re.compile("^I declare")).check()
    page.get_by_role("button", name="Verify", exact=True).click()
    expect(page.get_by_role("button", name="Verify", exact=True)).to_have_count(0)
    expect(page.get_by_text("Verified", exact=True)).to_be_visible()
