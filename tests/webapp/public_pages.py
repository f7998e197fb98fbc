"""The public pages a regulator opens in a browser (issue 15, item 3), as helpers the step-by-step
tests and the whole-chain test share: ``/shared/{token}`` behind its passcode, and a file dropped
on ``/verify/{id}``."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.webapp.phone import assert_accessible


def open_with_passcode(page: Page, url: str, passcode: str) -> None:
    """Open a share link: the passcode form ("Passcode", "Open"); a wrong passcode is refused, the right opens it."""
    page.goto(url)
    expect(page.get_by_role("heading", name="This shared record needs its passcode")).to_be_visible()
    assert_accessible(page, "passcode form")
    page.get_by_role("textbox", name="Passcode", exact=True).fill("not the passcode")
    page.get_by_role("button", name="Open", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("The passcode is wrong.")
    page.get_by_role("textbox", name="Passcode", exact=True).fill(passcode)
    page.get_by_role("button", name="Open", exact=True).click()
    assert "passcode" not in page.url


def drop(page: Page, data: bytes, name: str) -> None:
    """Drop a file with these bytes on the page, as a person dragging it from their desktop would."""
    transfer = page.evaluate_handle(
        """([bytes, name]) => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([new Uint8Array(bytes)], name));
            return transfer;
        }""",
        [list(data), name],
    )
    page.locator("body").dispatch_event("drop", {"dataTransfer": transfer})


def check_file_on_verify(page: Page, data: bytes, name: str) -> None:
    """On a /verify page: the file dropped is recognised as the valid export, a changed copy is not."""
    result = page.get_by_role("status")
    drop(page, data, name)
    expect(result).to_contain_text(f"Recognised: {name} is the export this page describes. Its status: Valid.")
    changed = bytearray(data)
    changed[len(changed) // 2] ^= 0x01
    drop(page, bytes(changed), name)
    expect(result).to_contain_text(f"Not recognised: {name} is not the file that was signed")
