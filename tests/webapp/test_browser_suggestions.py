"""Suggested entries in the phone app (issue 19, item 3): the worker agrees to an employer's
suggestions on the Organisations screen, the employer's learning system posts an xAPI statement,
the Suggestions screen shows it (title, date, duration, source), and accepting it puts it in the
log once, through the outbox and sync like any new entry. axe-core checks the screens.
"""

from __future__ import annotations

import base64
import uuid

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.webapp.organisation import enrol_second_factor, register
from tests.webapp.phone import (
    WorkerApi,
    assert_accessible,
    back_to_log,
    confirm_address_in_browser,
    entry_link,
    eventually,
    new_email,
    sign_up,
)

pytestmark = pytest.mark.browser

EMPLOYER = "Riverside Care"
TITLE = "Safeguarding adults, level 2"


def open_nav(page: Page, name: str) -> None:
    page.get_by_role("navigation").get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)


def employer_of(base_url: str, mailbox, worker: WorkerApi, worker_email: str) -> dict[str, str]:
    """An employer the worker joins; the HTTP Basic headers of its learning system."""
    admin = register(base_url, "Ada Admin", mailbox)
    enrol_second_factor(admin)
    organisation = admin.call("POST", "/v1/organisations", 201, json={"name": EMPLOYER, "kind": "employer"})
    path = f"/v1/organisations/{organisation['id']}"
    invited = admin.call("POST", f"{path}/invitations", 201, json={"email": worker_email, "role": "worker"})
    assert worker.http.post(f"/v1/invitations/{invited['id']}/accept").status_code == 200
    made = admin.call("POST", f"{path}/lrs-credentials", 201, json={"label": "Moodle"})
    token = base64.b64encode(f"{made['key']}:{made['secret']}".encode()).decode()
    return {"Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3"}


def completed(email: str) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "actor": {"mbox": f"mailto:{email}"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {
            "id": "https://lms.example.org/courses/safeguarding-adults-2",
            "definition": {"name": {"en-GB": TITLE}, "type": "http://adlnet.gov/expapi/activities/course"},
        },
        "result": {"duration": "PT1H30M"},
        "timestamp": "2025-03-04T10:15:00Z",
    }


def test_the_phone_shows_a_suggestion_and_accepting_it_logs_it_once(phone, cpl_server, cpl_mailbox):
    page = phone.new_page()
    email = new_email()
    sign_up(page, email, name="Wren Worker")
    confirm_address_in_browser(page, cpl_mailbox, email)
    worker = WorkerApi(cpl_server, email)
    try:
        lrs = employer_of(cpl_server, cpl_mailbox, worker, email)
        open_nav(page, "Organisations")
        agree = page.get_by_role("checkbox", name=f"Receive suggestions from {EMPLOYER}", exact=True)
        agree.click()  # the box follows the server's answer, so it is checked once the consent is stored
        expect(agree).to_be_checked()
        assert_accessible(page, "organisations")
        eventually(lambda: worker.http.get("/v1/me/suggestion-consents").json())

        posted = httpx.post(f"{cpl_server}/xapi/statements", json=completed(email), headers=lrs, timeout=30)
        assert posted.status_code == 200, posted.text

        open_nav(page, "Suggestions")
        expect(page.get_by_role("heading", name=TITLE, level=2)).to_be_visible()
        expect(page.get_by_text("1 h 30 min", exact=False)).to_be_visible()
        expect(page.get_by_text(f"From {EMPLOYER}", exact=True)).to_be_visible()
        assert_accessible(page, "suggestions")
        page.get_by_role("button", name=f"Accept: {TITLE}", exact=True).click()
        expect(page.get_by_text("No suggestions waiting.", exact=True)).to_be_visible()

        back_to_log(page)
        expect(entry_link(page, TITLE)).to_have_count(1)
        entry = eventually(lambda: [e for e in worker.entries() if e["title"] == TITLE])
        assert [(e["duration_minutes"], e["activity_type"], e["occurred_on"]) for e in entry] == [
            (90, "course", "2025-03-04")
        ]
        assert eventually(lambda: worker.http.get("/v1/me/suggestions").json() == [])
        page.reload()
        expect(entry_link(page, TITLE)).to_have_count(1)
        assert len([e for e in worker.entries() if e["title"] == TITLE]) == 1
    finally:
        worker.close()
