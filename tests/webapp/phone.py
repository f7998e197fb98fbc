"""What a worker does in the app, by the controls' roles and exact accessible names (issue 13, item 7),
and what the tests check behind it: the same worker's record read through the API with a bearer token,
and axe-core's verdict on a screen.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

import httpx
import pyotp
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD
from tests.mailbox import last_mail_to, link_in

WAITING = "waiting to upload"
ALL_SAVED = "All changes saved"
#: How long the app may take to reach the server once it can (it flushes on "online" at once).
SYNC_TIMEOUT_MS = 30_000

_axe = Axe()


def new_email() -> str:
    return f"worker-{uuid.uuid4().hex[:10]}@example.org"


def sign_up(page: Page, email: str, name: str = "Test Worker", password: str = PASSWORD) -> None:
    """Create an account from the sign-in screen and land on the log."""
    page.goto("/app/")
    page.get_by_role("link", name="Create account").or_(page.get_by_role("button", name="Create account")).first.click()
    page.get_by_role("textbox", name="Name", exact=True).fill(name)
    page.get_by_role("textbox", name="Email", exact=True).fill(email)
    page.get_by_role("textbox", name="Password", exact=True).fill(password)
    page.get_by_role("button", name="Create account", exact=True).click()
    expect(page.get_by_role("button", name="New entry", exact=True)).to_be_visible()


def confirm_address_in_browser(page: Page, mailbox, email: str) -> None:
    """Open the confirmation link mailed to ``email`` and press its button (a page without script), then
    come back to the app."""
    page.goto(link_in(last_mail_to(mailbox, email), "/account/confirm-email"))
    page.get_by_role("button", name=f"Confirm {email}", exact=True).click()
    expect(page.get_by_role("heading", name="Address confirmed")).to_be_visible()
    page.goto("/app/")
    expect(page.get_by_role("button", name="New entry", exact=True)).to_be_visible()


def sign_in(page: Page, email: str, password: str = PASSWORD, totp_secret: str | None = None) -> None:
    """Sign in from the sign-in screen; with ``totp_secret``, answer the second factor's code
    (the next step's: the step now may have been used to turn it on)."""
    page.goto("/app/")
    page.get_by_role("textbox", name="Email", exact=True).fill(email)
    page.get_by_role("textbox", name="Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    if totp_secret:
        page.get_by_role("textbox", name="Code", exact=True).fill(pyotp.TOTP(totp_secret).at(time.time() + 30))
        page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("button", name="New entry", exact=True)).to_be_visible()


def textbox(page: Page, name: str):
    return page.get_by_role("textbox", name=name, exact=True)


def write_entry(page: Page, title: str, minutes: int = 45) -> None:
    """From the log: a new learning activity with every text field filled, saved on the phone."""
    page.get_by_role("button", name="New entry", exact=True).click()
    textbox(page, "Title").fill(title)
    page.get_by_label("Kind", exact=True).select_option("learning_activity")
    page.get_by_label("Date", exact=True).fill(date.today().isoformat())
    page.get_by_role("spinbutton", name="Duration (minutes)", exact=True).fill(str(minutes))
    textbox(page, "Description").fill(f"Description of {title}")
    textbox(page, "What happened?").fill("We worked through a case together.")
    textbox(page, "What did you learn?").fill("How to escalate a concern.")
    textbox(page, "How will it change your practice?").fill("I record when I escalate.")
    textbox(page, "Tags").fill("browser-test")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page).to_have_url(re.compile(r"/app/entries/[0-9a-f-]{36}$"))


def attach_photo(page: Page, jpeg: bytes, filename: str = "ward-whiteboard.jpg") -> None:
    """In the editor: 'Add photo' opens the camera's file chooser; the worker takes this picture."""
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Add photo", exact=True).click()
    chooser.value.set_files({"name": filename, "mimeType": "image/jpeg", "buffer": jpeg})
    expect(page.get_by_text(filename, exact=True)).to_be_visible()


def attach_file(page: Page, data: bytes, filename: str, media_type: str) -> None:
    """In the editor: 'Add file' opens the file chooser; the worker picks this file."""
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Add file", exact=True).click()
    chooser.value.set_files({"name": filename, "mimeType": media_type, "buffer": data})
    expect(page.get_by_text(filename, exact=True)).to_be_visible()


def back_to_log(page: Page) -> None:
    page.get_by_role("navigation").get_by_role("link", name="My log", exact=True).click()
    expect(page.get_by_role("button", name="New entry", exact=True)).to_be_visible()


def entry_link(page: Page, title: str):
    return page.get_by_role("link", name=re.compile(re.escape(title)))


def expect_sync_state(page: Page, text: str, timeout: int = SYNC_TIMEOUT_MS) -> None:
    """The app's live region (``role="status"``) says ``text``."""
    expect(page.get_by_role("status").filter(has_text=text).first).to_be_attached(timeout=timeout)


def wait_for_service_worker(page: Page) -> None:
    """The app shell is cached once the service worker is active: only then can the app start offline."""
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the screen as it is now, one line each."""
    results = _axe.run(page).response
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def assert_accessible(page: Page, screen: str) -> None:
    found = serious_violations(page)
    assert not found, f"axe-core on the {screen} screen:\n" + "\n".join(found)


def assert_fits_the_phone(page: Page, screen: str) -> None:
    """Nothing on the screen is wider than the phone's 390 px: no sideways scrolling of the page
    (a wide table may scroll inside its own region)."""
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the {screen} page is {widths[0]} px wide on a {widths[1]} px phone"


class WorkerApi:
    """The worker's record as the API shows it, to a bearer client signed in as the same worker."""

    def __init__(self, base_url: str, email: str, password: str = PASSWORD) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=30, follow_redirects=True)
        login = self.http.post("/v1/auth/login", json={"email": email, "password": password, "device_name": "test"})
        assert login.status_code == 200, login.text
        self.http.headers["Authorization"] = f"Bearer {login.json()['token']}"

    def entries(self) -> list[dict[str, Any]]:
        """Every live entry, through the sync feed followed to its end."""
        changes: dict[str, dict[str, Any]] = {}
        cursor = None
        while True:
            page = self.http.get("/v1/sync", params={"limit": 200, **({"since": cursor} if cursor else {})})
            assert page.status_code == 200, page.text
            body = page.json()
            for change in body["changes"]:
                changes[change["id"]] = change
            cursor = body["next_cursor"]
            if not body["has_more"]:
                return [change["entry"] for change in changes.values() if not change["deleted"]]

    def entry_titled(self, title: str) -> dict[str, Any]:
        [entry] = [entry for entry in self.entries() if entry["title"] == title]
        return entry

    def attachments(self, entry_id: str) -> list[dict[str, Any]]:
        response = self.http.get(f"/v1/evidence/{entry_id}/attachments")
        assert response.status_code == 200, response.text
        return response.json()

    def content(self, attachment: dict[str, Any]) -> bytes:
        response = self.http.get(attachment["content_url"])
        assert response.status_code == 200, response.text
        return response.content

    def close(self) -> None:
        self.http.close()


def eventually(check: Callable[[], Any], timeout: float = SYNC_TIMEOUT_MS / 1000) -> Any:
    """``check()``'s first truthy answer, asking again until ``timeout`` seconds have passed."""
    deadline = time.monotonic() + timeout
    while True:
        answer = check()
        if answer or time.monotonic() > deadline:
            return answer
        time.sleep(0.5)
