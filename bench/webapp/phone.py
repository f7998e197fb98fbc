"""The phone the bench drives: Debian's Chromium through Playwright, phone-sized, with the mobile
profile's throttling applied through the DevTools protocol, and the worker's actions by the controls'
accessible names (issue 13, item 7).

Throttling is DevTools' own "Slow 4G" preset (devtools-frontend ``NetworkManager.ts``, the numbers
Lighthouse's ``devtools`` throttling method uses): 1.6 Mbit/s down and 750 kbit/s up, each × 0.9,
and 150 ms × 3.75 = 562.5 ms added to every request; and the CPU slowed 4× as Lighthouse's mobile
preset does (``Emulation.setCPUThrottlingRate``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}
SLOW_4G = {
    "offline": False,
    "latency": 150 * 3.75,
    "downloadThroughput": 1.6 * 1000 * 1000 / 8 * 0.9,
    "uploadThroughput": 750 * 1000 / 8 * 0.9,
}
PHONE_CPU_SLOWDOWN = 4
HOOKS = Path(__file__).with_name("hooks.js").read_text()
ALL_SAVED = "All changes saved"
WAITING = "waiting to upload"


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def fresh_phone(browser: Browser, base_url: str) -> Iterator[BrowserContext]:
    """A new phone: no cache, no cookies, no service worker, no IndexedDB; the bench's hooks in every page."""
    context = browser.new_context(base_url=base_url, **PHONE)
    context.set_default_timeout(60_000)
    context.add_init_script(HOOKS)
    try:
        yield context
    finally:
        context.close()


def throttle(page: Page, cpu_slowdown: float, network: dict[str, Any] | None = None) -> None:
    """Slow this page's CPU (1 = not at all) and, if given, its network, for the rest of its life."""
    session = page.context.new_cdp_session(page)
    session.send("Emulation.setCPUThrottlingRate", {"rate": cpu_slowdown})
    if network:
        session.send("Network.enable")
        session.send("Network.emulateNetworkConditions", network)


def marks(page: Page) -> dict[str, Any]:
    """What the hooks noted in the current document (times in ms since its navigation started)."""
    return page.evaluate("() => JSON.parse(JSON.stringify(window.__bench))")


def textbox(page: Page, name: str):
    return page.get_by_role("textbox", name=name, exact=True)


def sign_in(page: Page, email: str, password: str) -> None:
    """From the sign-in screen to the log; then wait until the service worker controls the page."""
    page.goto("/app/")
    textbox(page, "Email").fill(email)
    textbox(page, "Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("button", name="New entry", exact=True)).to_be_enabled()
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    expect_status(page, ALL_SAVED)


def expect_status(page: Page, text: str, timeout_ms: int = 60_000) -> None:
    expect(page.get_by_role("status").filter(has_text=text).first).to_be_attached(timeout=timeout_ms)


def open_new_entry(page: Page, title: str) -> None:
    """From the log: "New entry", and the fields a worker fills for a short learning activity."""
    page.get_by_role("button", name="New entry", exact=True).click()
    textbox(page, "Title").fill(title)
    page.get_by_label("Kind", exact=True).select_option("learning_activity")
    page.get_by_label("Date", exact=True).fill(date.today().isoformat())
    page.get_by_role("spinbutton", name="Duration (minutes)", exact=True).fill("45")
    textbox(page, "Description").fill(f"Description of {title}")
    textbox(page, "What happened?").fill("We worked through a case together.")
    textbox(page, "What did you learn?").fill("How to escalate a concern.")
    textbox(page, "How will it change your practice?").fill("I record when I escalate.")
    textbox(page, "Tags").fill("bench")


def back_to_log(page: Page) -> None:
    page.get_by_role("navigation").get_by_role("link", name="My log", exact=True).click()
    expect(page.get_by_role("button", name="New entry", exact=True)).to_be_enabled()


def chromium_version(browser: Browser) -> str:
    return f"Chromium {browser.version}"
