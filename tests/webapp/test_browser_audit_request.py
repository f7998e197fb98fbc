"""Audit requests in the app (issue 15, item 3): a regulator's auditor sends a request from the app,
the worker answers it from the app with an export made for it, the auditor opens the answer (the
shared record's link and its passcode) and records the outcome, and the worker sees it.
axe-core checks each screen on the way.
"""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.webapp.audits import answer_request, open_answer, record_outcome, sees_outcome, send_request
from tests.webapp.organisation import enrol_second_factor, register
from tests.webapp.phone import WorkerApi, confirm_address_in_browser, new_email, sign_in, sign_up

pytestmark = pytest.mark.browser

REGULATOR = "Health Regulator"


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

        answer_request(worker_page, REGULATOR)
        url, passcode = open_answer(auditor_page, email)
        opened = httpx.get(url, headers={"X-Share-Passcode": passcode}, timeout=30)
        assert opened.status_code == 200, opened.text
        record_outcome(auditor_page)

        sees_outcome(worker_page, REGULATOR)
    finally:
        worker.close()
        desk.close()
