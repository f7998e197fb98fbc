"""Your data in the app (issue 16): a worker downloads a copy of everything cpl holds about them,
then erases their account; the app signs them out and signing in again fails. axe-core checks
the account screen with the new section.
"""

from __future__ import annotations

import json
import zipfile

import pytest
from playwright.sync_api import expect

from tests.webapp.phone import assert_accessible, back_to_log, new_email, sign_up, textbox, write_entry

pytestmark = pytest.mark.browser


def test_a_worker_downloads_their_data_then_erases_their_account(phone, cpl_server, tmp_path):
    page = phone.new_page()
    email = new_email()
    sign_up(page, email, name="Erin Erasure")
    write_entry(page, "Moving and handling refresher")
    back_to_log(page)
    page.get_by_role("navigation").get_by_role("link", name="Account and devices", exact=True).click()
    expect(page.get_by_role("heading", name="Your data", level=2)).to_be_visible()
    assert_accessible(page, "account with your data")

    page.get_by_role("button", name="Download my data", exact=True).click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the ZIP", exact=True).click()
    saved = tmp_path / "my-data.zip"
    download.value.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        data = json.loads(archive.read("data.json"))
        assert "index.html" in archive.namelist()
    assert data["account"][0]["email"] == email
    assert [entry["title"] for entry in data["entries"]] == ["Moving and handling refresher"]

    erase = page.get_by_role("button", name="Erase my account", exact=True)
    textbox(page, "Password").fill("correct horse battery staple")
    expect(erase).to_be_disabled()
    textbox(page, 'Type "erase my account" to confirm').fill("erase my account")
    erase.click()
    expect(page.get_by_role("textbox", name="Email", exact=True)).to_be_visible()
    page.get_by_role("textbox", name="Email", exact=True).fill(email)
    page.get_by_role("textbox", name="Password", exact=True).fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("alert")).to_be_visible()
