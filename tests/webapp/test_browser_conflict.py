"""An entry changed on another device while the phone edited it offline (issue 13, item 3).

The phone's edit is refused with 412; the app shows both versions and the worker keeps one. Both
choices are made, one per entry, and the API shows the version kept.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.webapp.phone import (
    ALL_SAVED,
    WorkerApi,
    assert_accessible,
    back_to_log,
    entry_link,
    eventually,
    expect_sync_state,
    new_email,
    sign_up,
    textbox,
    write_entry,
)

pytestmark = pytest.mark.browser

ENTRIES = ("Keep mine: supervision notes", "Keep the server's: team meeting")


def edit_description(page, title: str, description: str) -> None:
    back_to_log(page)
    entry_link(page, title).click()
    textbox(page, "Description").fill(description)
    page.get_by_role("button", name="Save", exact=True).click()


def change_on_another_device(api: WorkerApi, title: str, description: str) -> None:
    entry = api.entry_titled(title)
    response = api.http.patch(
        f"/v1/evidence/{entry['id']}", json={"description": description}, headers={"If-Match": f'"{entry["version"]}"'}
    )
    assert response.status_code == 200, response.text


def resolve(page, title: str, choice: str) -> None:
    back_to_log(page)
    entry_link(page, title).click()
    expect(page.get_by_role("heading", name="Changed on another device")).to_be_visible()
    expect(page.get_by_text(f"Phone: {title}")).to_be_visible()
    expect(page.get_by_text(f"Other device: {title}")).to_be_visible()
    assert_accessible(page, "conflict")
    page.get_by_role("button", name=choice, exact=True).click()


def test_an_edit_made_meanwhile_elsewhere_is_resolved_either_way(phone, cpl_server):
    page = phone.new_page()
    email = new_email()
    sign_up(page, email)
    for title in ENTRIES:
        back_to_log(page)
        write_entry(page, title)
    expect_sync_state(page, ALL_SAVED)

    api = WorkerApi(cpl_server, email)
    try:
        phone.set_offline(True)
        for title in ENTRIES:
            edit_description(page, title, f"Phone: {title}")
            change_on_another_device(api, title, f"Other device: {title}")
        phone.set_offline(False)
        expect_sync_state(page, "2 changes need your attention")

        resolve(page, ENTRIES[0], "Keep mine")
        resolve(page, ENTRIES[1], "Keep the server's")
        expect_sync_state(page, ALL_SAVED)

        kept = eventually(lambda: api.entry_titled(ENTRIES[0])["description"] == f"Phone: {ENTRIES[0]}")
        assert kept, api.entry_titled(ENTRIES[0])
        assert api.entry_titled(ENTRIES[1])["description"] == f"Other device: {ENTRIES[1]}"
        back_to_log(page)
        entry_link(page, ENTRIES[1]).click()
        expect(textbox(page, "Description")).to_have_value(f"Other device: {ENTRIES[1]}")
    finally:
        api.close()
