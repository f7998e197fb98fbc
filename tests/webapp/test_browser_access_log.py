"""Who has seen my record, in the app (issue 16, item 4): a worker shares an entry with their
supervisor, the supervisor (through the HTTP API) opens it, and the worker finds the reading, with
the supervisor's name, capacity and organisation, under Account and devices. axe-core checks the screen.
"""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.factories import entry_body
from tests.webapp.organisation import employer_with_supervisor, register
from tests.webapp.phone import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_a_worker_sees_that_their_supervisor_opened_a_shared_entry(phone, cpl_server, cpl_mailbox):
    employer = employer_with_supervisor(cpl_server, "Riverside Care", "Sam Supervisor", cpl_mailbox)
    worker = register(cpl_server, "Wren Worker", cpl_mailbox)
    worker.call("POST", f"/v1/invitations/{employer.invite(worker.email, 'worker')}/accept", 200)
    employer.supervise(worker.account_id)
    entry_id = str(uuid.uuid4())
    worker.call("PUT", f"/v1/evidence/{entry_id}", 201, json=entry_body(title="Handover practice"))
    share = {"organisation_id": employer.organisation_id, "supervisor_id": employer.supervisor.account_id}
    worker.call("POST", "/v1/shares", 201, json={**share, "entry_ids": [entry_id]})
    employer.supervisor.call("GET", f"/v1/shared/evidence/{entry_id}", 200)

    page = phone.new_page()
    sign_in(page, worker.email)
    page.get_by_role("navigation").get_by_role("link", name="Account and devices", exact=True).click()
    expect(page.get_by_role("heading", name="Who has seen my record", level=2)).to_be_visible()
    readings = page.get_by_role("list", name="Who has seen my record").get_by_role("listitem")
    expect(readings).to_have_count(1)
    expect(readings.first).to_contain_text("Sam Supervisor (supervisor, Riverside Care) opened an entry")
    assert_accessible(page, "account with the access log")
