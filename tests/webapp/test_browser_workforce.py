"""An organisation admin in the app (issue 15, items 2 and 6): signed in with the second factor, they
create the organisation, invite a worker by e-mail; the worker accepts and shares one of two entries
with the organisation (through the API); the admin finds them in the Workforce table with the status
the requirements engine gives over what was shared, filters the table, and downloads the CSV, whose
line for the worker says the same.
"""

from __future__ import annotations

import csv
import uuid
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.factories import entry_body
from tests.webapp.organisation import enrol_second_factor, register
from tests.webapp.phone import assert_accessible, sign_in, textbox

pytestmark = pytest.mark.browser


def _day(days_ago: int) -> str:
    return (date.today() - timedelta(days=days_ago)).isoformat()


def _worker_accepts_and_shares(worker, organisation_id: str) -> None:
    """Accept the invitation, register with the SSSC (early learning and childcare), write two
    entries and share only the first with the organisation."""
    [invitation] = worker.call("GET", "/v1/invitations", 200)
    worker.call("POST", f"/v1/invitations/{invitation['id']}/accept", 200)
    body = {"register": "sssc", "registration_number": "SSSC-1", "part": "elc"}
    body |= {"cycle_start": _day(200), "renewal_date": _day(-1600)}
    worker.call("PUT", f"/v1/me/registrations/{uuid.uuid4()}", 201, json=body)
    entries = []
    for title, days_ago in (("Shared course", 4), ("Private course", 2)):
        entry = entry_body(title=title, occurred_on=_day(days_ago), duration_minutes=600)
        entries.append(worker.call("PUT", f"/v1/evidence/{uuid.uuid4()}", 201, json=entry))
    share = {"organisation_id": organisation_id, "entry_ids": [entries[0]["id"]]}
    worker.call("POST", "/v1/shares", 201, json=share)


def test_an_admin_invites_finds_the_worker_in_the_workforce_and_downloads_the_csv(phone, cpl_server, cpl_mailbox):
    admin = register(cpl_server, "Ada Admin", cpl_mailbox)
    secret = enrol_second_factor(admin)
    worker = register(cpl_server, "Wren Worker", cpl_mailbox)
    page = phone.new_page()
    sign_in(page, admin.email, totp_secret=secret)

    page.get_by_role("navigation").get_by_role("link", name="Organisations", exact=True).click()
    textbox(page, "Organisation name").fill("Riverside Care")
    page.get_by_role("button", name="Create", exact=True).click()
    page.get_by_role("link", name="Administer Riverside Care", exact=True).click()
    textbox(page, "Email").fill(worker.email)
    page.get_by_role("combobox", name="Role", exact=True).select_option("worker")
    page.get_by_role("button", name="Invite", exact=True).click()
    expect(page.get_by_role("status").filter(has_text=f"Invitation mailed to {worker.email}.")).to_be_visible()
    assert_accessible(page, "administering an organisation")
    [organisation] = admin.call("GET", "/v1/organisations", 200)
    _worker_accepts_and_shares(worker, organisation["id"])

    page.get_by_role("navigation").get_by_role("link", name="Workforce", exact=True).click()
    table = page.get_by_role("table", name="Workforce", exact=True)
    row = table.get_by_role("row").filter(has_text="Wren Worker")
    expect(row).to_have_count(1)
    [line] = admin.call("GET", f"/v1/organisations/{organisation['id']}/workforce", 200)["items"]
    assert line["status"] == "at_risk" and line["shared_entries"] == 1
    expect(row.get_by_role("cell").nth(0)).to_have_text("At risk")
    expect(row).to_contain_text(f"SSSC elc: due {line['registrations'][0]['due_on']}, At risk")
    expect(row).to_contain_text(_day(4))
    expect(page.get_by_text("At risk: 1")).to_be_visible()
    assert_accessible(page, "the workforce view")

    page.get_by_label("Status", exact=True).select_option("met")
    page.get_by_role("button", name="Apply filters", exact=True).click()
    expect(page.get_by_text("No worker matches.")).to_be_visible()
    page.get_by_label("Status", exact=True).select_option("at_risk")
    page.get_by_label("Register", exact=True).select_option("sssc")
    page.get_by_role("button", name="Apply filters", exact=True).click()
    expect(table.get_by_role("row").filter(has_text="Wren Worker")).to_have_count(1)

    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV", exact=True).click()
    assert download.value.suggested_filename.startswith("workforce-")
    with open(download.value.path(), newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    [csv_line] = rows
    assert csv_line["worker_id"] == worker.account_id and csv_line["worker_name"] == "Wren Worker"
    assert (csv_line["status"], csv_line["register"], csv_line["shared_entries"]) == ("at_risk", "sssc", "1")
    assert csv_line["last_activity"] == _day(4) and "CLE.RIGHTS" in csv_line["mandatory_missing"]
