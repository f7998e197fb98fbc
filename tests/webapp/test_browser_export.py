"""Exports in the app (issue 13, items 5 and 8): a worker makes a PDF export, watches the job until it
is ready, downloads it, makes a share link with a passcode; the link works over plain HTTP only with
the passcode, each use appears in the app, and revoking the link closes it. axe-core checks the screen.
"""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import expect

from tests.webapp.phone import (
    ALL_SAVED,
    WorkerApi,
    assert_accessible,
    expect_sync_state,
    new_email,
    sign_up,
    textbox,
    write_entry,
)

pytestmark = pytest.mark.browser

PASSCODE = "tulip-4821"
#: A PDF export of one entry is rendered and signed by the server's export worker.
JOB_TIMEOUT_MS = 60_000


def test_a_worker_exports_a_pdf_downloads_it_and_shares_it_behind_a_passcode(phone, cpl_server):
    page = phone.new_page()
    email = new_email()
    sign_up(page, email)
    write_entry(page, "Medicines management update")
    expect_sync_state(page, ALL_SAVED)

    page.get_by_role("navigation").get_by_role("link", name="Exports", exact=True).click()
    expect(page.get_by_text("No exports yet.")).to_be_visible()
    assert_accessible(page, "exports")
    page.get_by_label("Format", exact=True).select_option("pdf")
    page.get_by_role("button", name="Start export", exact=True).click()
    export = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name="PDF portfolio"))
    expect(export.get_by_text("Ready", exact=True)).to_be_visible(timeout=JOB_TIMEOUT_MS)

    with page.expect_download() as download:
        export.get_by_role("button", name="Download", exact=True).click()
    saved = download.value
    assert saved.suggested_filename.endswith("portfolio.pdf")
    with open(saved.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    textbox(page, "Who it is for").fill("Care Inspectorate")
    page.get_by_role("spinbutton", name="Link works for (days)").fill("7")
    textbox(page, "Passcode (optional, at least 6 characters)").fill(PASSCODE)
    page.get_by_role("button", name="Create share link", exact=True).click()
    link = textbox(page, "The link (shown once; copy it now)")
    expect(link).to_have_value(re.compile(rf"^{re.escape(cpl_server)}/shared/[\w-]{{20,}}$"))
    url = link.input_value()
    expect(page.get_by_text("Not opened yet.")).to_be_visible()

    without = httpx.get(url, timeout=30)
    assert without.status_code == 403, without.text
    opened = httpx.get(url, headers={"X-Share-Passcode": PASSCODE}, timeout=30)
    assert opened.status_code == 200 and opened.content.startswith(b"%PDF-")

    page.reload()
    accesses = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name="Accesses to Care Inspectorate")
    )
    expect(accesses.get_by_text("opened from", exact=False)).to_have_count(1)
    expect(accesses.get_by_text("refused (no passcode given) from", exact=False)).to_have_count(1)
    assert_accessible(page, "exports (a ready export with a share link)")

    accesses.get_by_role("button", name="Revoke link Care Inspectorate", exact=True).click()
    expect(accesses.get_by_text("revoked", exact=False)).to_be_visible()
    assert httpx.get(url, headers={"X-Share-Passcode": PASSCODE}, timeout=30).status_code == 410

    api = WorkerApi(cpl_server, email)
    try:
        [made] = api.http.get("/v1/exports").json()["items"]
        assert made["format"] == "pdf" and made["status"] == "done"
        [share] = api.http.get(f"/v1/exports/{made['id']}/shares").json()
        assert share["label"] == "Care Inspectorate" and share["has_passcode"] and share["revoked_at"]
        assert [access["outcome"] for access in share["accesses"]] == ["passcode_required", "granted", "revoked"]
    finally:
        api.close()
