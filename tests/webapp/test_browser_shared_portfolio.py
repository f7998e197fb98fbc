"""A regulator opens a share link in a browser (issue 15, items 3 and 6): the passcode form, a wrong
passcode, then the portfolio with its entries, the verification and the files (the photo shown, the
PDF viewable, the whole export downloadable); and on /verify the exported file dropped on the page
is recognised while a changed copy is not. The worker's side is made through the HTTP API.
"""

from __future__ import annotations

import time
import uuid

import httpx
import pytest
from playwright.sync_api import expect

from tests.attachments import corpus
from tests.factories import entry_body
from tests.webapp.organisation import Person, employer_with_supervisor, register
from tests.webapp.phone import assert_accessible
from tests.webapp.public_pages import check_file_on_verify, open_with_passcode

pytestmark = pytest.mark.browser

PASSCODE = "heron-5531"
TITLE = "Sepsis recognition and escalation"
STATEMENT = "I observed this practice and confirm it."


def _attach(worker: Person, entry_id: str, data: bytes, filename: str) -> dict:
    return worker.call(
        "POST",
        f"/v1/evidence/{entry_id}/attachments",
        201,
        content=data,
        params={"filename": filename},
        headers={"Content-Type": "application/octet-stream"},
    )


def _verified_entry(base_url: str, mailbox, worker: Person) -> str:
    """One entry of the worker's with a photo and a PDF, verified by their supervisor; its id."""
    employer = employer_with_supervisor(base_url, "Riverside Care", "Sam Supervisor", mailbox)
    invitation = employer.invite(worker.email, "worker")
    worker.call("POST", f"/v1/invitations/{invitation}/accept", 200)
    employer.supervise(worker.account_id)
    entry_id = str(uuid.uuid4())
    worker.call("PUT", f"/v1/evidence/{entry_id}", 201, json=entry_body(title=TITLE))
    _attach(worker, entry_id, corpus.jpeg(width=320, height=240, color="blue"), "ward-board.jpg")
    _attach(worker, entry_id, corpus.pdf(), "certificate.pdf")
    body = {"organisation_id": employer.organisation_id, "supervisor_id": employer.supervisor.account_id}
    worker.call("POST", "/v1/shares", 201, json={**body, "entry_ids": [entry_id]})
    review = worker.call(
        "POST",
        "/v1/reviews",
        201,
        json={
            "entry_id": entry_id,
            "reviewer_id": employer.supervisor.account_id,
            "organisation_id": body["organisation_id"],
        },
    )
    verification = {"statement": STATEMENT, "role": "Ward manager", "registration_number": "98Y7654E"}
    employer.supervisor.call("POST", f"/v1/reviews/{review['id']}/verify", 200, json=verification)
    return entry_id


def _exported(worker: Person, registration_id: str) -> tuple[dict, bytes]:
    body = {"format": "json", "selection": {"registration_id": registration_id}}
    export = worker.call("POST", "/v1/exports", 202, json=body)
    deadline = time.monotonic() + 60
    while export["status"] not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.3)
        export = worker.call("GET", f"/v1/exports/{export['id']}", 200)
    assert export["status"] == "done", export
    return export, worker.http.get(export["download_url"]).content


@pytest.fixture
def shared(cpl_server, cpl_mailbox) -> dict:
    """A worker's verified entry with two files, exported with their registration and shared behind a passcode."""
    worker = register(cpl_server, "Wren Worker", cpl_mailbox)
    registration = worker.call(
        "PUT",
        f"/v1/me/registrations/{uuid.uuid4()}",
        201,
        json={
            "register": "nmc",
            "registration_number": "REG-1",
            "part": "nurse",
            "cycle_start": "2024-01-01",
            "renewal_date": "2027-01-01",
        },
    )
    _verified_entry(cpl_server, cpl_mailbox, worker)
    export, data = _exported(worker, registration["id"])
    link = worker.call(
        "POST", f"/v1/exports/{export['id']}/shares", 201, json={"label": "NMC audit", "passcode": PASSCODE}
    )
    return {"url": link["url"], "export": export, "data": data}


def test_a_regulator_opens_the_shared_portfolio_and_its_files(phone, shared):
    page = phone.new_page()
    open_with_passcode(page, shared["url"], PASSCODE)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wren Worker")
    entry = page.get_by_role("article").filter(has=page.get_by_role("heading", name=TITLE))
    expect(entry).to_contain_text("Worked through three case studies.")
    expect(entry).to_contain_text("Sam Supervisor (Ward manager; Riverside Care, self-declared organisation")
    expect(entry.get_by_text("current", exact=True)).to_be_visible()
    expect(entry).to_contain_text(STATEMENT)
    expect(page.get_by_role("table", name="Requirements")).to_be_visible()
    assert_accessible(page, "shared portfolio")

    photo = entry.get_by_role("img", name="ward-board.jpg")
    expect(photo).to_be_visible()
    photo.scroll_into_view_if_needed()  # the page's images load as the reader scrolls to them
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=photo.element_handle())
    view_pdf = entry.get_by_role("link", name="View certificate.pdf", exact=True)
    pdf = page.request.get(view_pdf.get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF-")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the whole export", exact=True).click()
    with open(download.value.path(), "rb") as saved:
        assert saved.read() == shared["data"]

    # The file links are the passcode holder's alone: another browser, or plain HTTP, is refused.
    href = f"{shared['url']}/files/{photo.get_attribute('src').rsplit('/', 1)[1]}"
    assert httpx.get(href, timeout=30).status_code == 403


def test_a_dropped_export_is_recognised_on_verify_and_a_changed_one_is_not(phone, cpl_server, shared):
    page = phone.new_page()
    page.goto(f"/verify/{shared['export']['id']}")
    expect(page.get_by_text("Valid", exact=True)).to_be_visible()
    assert_accessible(page, "verification page")
    result = page.get_by_role("status")
    check_file_on_verify(page, shared["data"], "record.json")

    page.get_by_label("Check a file", exact=True).set_input_files(
        {"name": "record.json", "mimeType": "application/json", "buffer": shared["data"]}
    )
    expect(result).to_contain_text("Recognised: record.json")
