"""Starting the app: a first visit on Slow 4G with the phone's CPU, and a start offline from cache.

First visit (a new phone: no cache, no service worker, signed out), throttled from the first request
(``phone.SLOW_4G`` and 4× CPU). **Interactive** is the moment the sign-in screen's "Email" box is in
the page, visible and enabled, *and* the main thread is free to handle a keystroke: the first task
(``setTimeout(0)``) the page runs after the box appeared. Also reported: when the document, the
app's script and ``GET /v1/me`` arrived, and when text Playwright types into the box as soon as it
finds it actionable is handled (that one includes Playwright's own polling). Baseline, same
throttling, fresh phone: ``GET /health`` from the same server opened as a page, to its load event —
one request, the floor of any visit.

Offline start: the demo worker signed in on a phone whose service worker controls the page and
whose log is synced; the phone goes offline and the log is reloaded. **Log visible** is the moment
the log lists an entry (the "New entry" button is reported too), with the CPU slowed as given.
Baseline: ``GET /health`` opened as a page online with the same CPU slowdown, to its load event.
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Browser, Page, expect

from bench.webapp.phone import PHONE_CPU_SLOWDOWN, SLOW_4G, fresh_phone, marks, sign_in, textbox, throttle
from bench.webapp.server import DEMO_EMAIL, DEMO_PASSWORD

_TIMINGS = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const resources = performance.getEntriesByType("resource").map((entry) => ({
    path: new URL(entry.name).pathname, end: entry.responseEnd, bytes: entry.transferSize,
  }));
  return { documentEnd: nav.responseEnd, load: nav.loadEventEnd, bytes: nav.transferSize, resources };
}"""


@dataclass(frozen=True)
class FirstVisit:
    email_shown_ms: float
    main_thread_free_ms: float
    interactive_ms: float
    document_ms: float
    script_ms: float
    who_am_i_ms: float
    transferred_bytes: int


@dataclass(frozen=True)
class OfflineStart:
    cpu_slowdown: float
    entry_listed_ms: float
    new_entry_ms: float
    document_ms: float
    script_ms: float


def page_load_ms(page: Page, path: str) -> float:
    """Open ``path`` as a page and give its load event's time since navigation started."""
    page.goto(path, wait_until="load")
    return page.evaluate(_TIMINGS)["load"]


def _resource_end(timings: dict, suffix: str, prefix: str = "") -> float:
    ends = [r["end"] for r in timings["resources"] if r["path"].endswith(suffix) and r["path"].startswith(prefix)]
    return max(ends, default=float("nan"))


def first_visit(browser: Browser, base_url: str) -> FirstVisit:
    with fresh_phone(browser, base_url) as context:
        page = context.new_page()
        throttle(page, PHONE_CPU_SLOWDOWN, SLOW_4G)
        page.goto("/app/", wait_until="commit")
        textbox(page, "Email").fill("worker@example.org")
        page.wait_for_function("() => 'emailAcceptedInput' in window.__bench.marks")
        page.wait_for_load_state("load")
        found, timings = marks(page)["marks"], page.evaluate(_TIMINGS)
    return FirstVisit(
        email_shown_ms=found["emailShown"],
        main_thread_free_ms=found["emailShownThenIdle"],
        interactive_ms=found["emailAcceptedInput"],
        document_ms=timings["documentEnd"],
        script_ms=_resource_end(timings, ".js", "/app/assets/"),
        who_am_i_ms=_resource_end(timings, "/v1/me"),
        transferred_bytes=timings["bytes"] + sum(r["bytes"] for r in timings["resources"]),
    )


def first_visit_baseline(browser: Browser, base_url: str) -> float:
    with fresh_phone(browser, base_url) as context:
        page = context.new_page()
        throttle(page, PHONE_CPU_SLOWDOWN, SLOW_4G)
        return page_load_ms(page, "/health")


def offline_starts(
    browser: Browser, base_url: str, runs: int, cpu_slowdown: float
) -> tuple[list[OfflineStart], list[float]]:
    """``runs`` offline reloads of the log, and as many baseline page loads, in turns."""
    starts, baseline = [], []
    with fresh_phone(browser, base_url) as context:
        page = context.new_page()
        sign_in(page, DEMO_EMAIL, DEMO_PASSWORD)
        throttle(page, cpu_slowdown)
        probe = context.new_page()
        throttle(probe, cpu_slowdown)
        for _ in range(runs):
            baseline.append(page_load_ms(probe, "/health"))
            context.set_offline(True)
            page.reload(wait_until="load")
            expect(page.get_by_role("button", name="New entry", exact=True)).to_be_enabled()
            page.wait_for_function("() => 'entryListed' in window.__bench.marks")
            found, timings = marks(page)["marks"], page.evaluate(_TIMINGS)
            script = _resource_end(timings, ".js", "/app/assets/")
            starts.append(
                OfflineStart(cpu_slowdown, found["entryListed"], found["newEntryShown"], timings["documentEnd"], script)
            )
            context.set_offline(False)
    return starts, baseline
