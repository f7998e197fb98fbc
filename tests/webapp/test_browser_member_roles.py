"""An admin changes a member's roles in the app (issue 15, item 2: "members and roles"): ticks the
supervisor role for a worker and saves; the organisation's only admin cannot give up the admin
role, and the screen says why."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.webapp.organisation import employer_with_supervisor, register
from tests.webapp.phone import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_an_admin_gives_a_worker_the_supervisor_role_and_keeps_the_admin_role(phone, cpl_server, cpl_mailbox):
    employer = employer_with_supervisor(cpl_server, "Riverside Care", "Ada Admin", cpl_mailbox)
    admin = employer.supervisor
    worker = register(cpl_server, "Wren Worker", cpl_mailbox)
    try:
        worker.call("POST", f"/v1/invitations/{employer.invite(worker.email, 'worker')}/accept", 200)
        page = phone.new_page()
        sign_in(page, admin.email, totp_secret=admin.totp_secret)
        page.get_by_role("navigation").get_by_role("link", name="Organisations", exact=True).click()
        page.get_by_role("link", name="Administer Riverside Care", exact=True).click()

        roles = page.get_by_role("group", name="Roles of Wren Worker", exact=True)
        expect(roles.get_by_role("checkbox", name="Worker", exact=True)).to_be_checked()
        roles.get_by_role("checkbox", name="Supervisor", exact=True).check()
        page.get_by_role("button", name="Save roles of Wren Worker", exact=True).click()
        saved = page.get_by_role("status").filter(has_text="Roles of Wren Worker saved: Supervisor, Worker.")
        expect(saved).to_be_visible()
        mine = worker.call("GET", f"/v1/organisations/{employer.organisation_id}", 200)
        assert mine["my_roles"] == ["supervisor", "worker"]
        # The new supervisor is offered in the supervision links' form at once.
        link_form_supervisors = page.get_by_role("combobox", name="Supervisor", exact=True).locator("option")
        expect(link_form_supervisors.filter(has_text="Wren Worker")).to_have_count(1)
        assert_accessible(page, "members and their roles")

        own = page.get_by_role("group", name="Roles of Ada Admin", exact=True)
        own.get_by_role("checkbox", name="Admin", exact=True).uncheck()
        page.get_by_role("button", name="Save roles of Ada Admin", exact=True).click()
        expect(page.get_by_role("alert")).to_contain_text("only admin")
        me = admin.call("GET", f"/v1/organisations/{employer.organisation_id}", 200)
        assert me["my_roles"] == ["admin", "supervisor"]
    finally:
        worker.http.close()
        admin.http.close()
