"""Saving an entry offline, timed inside the page.

The demo worker, signed in, service worker in control, phone offline, CPU slowed as given. Each run
opens "New entry" from the log and fills the fields (title, kind, date, duration, description, the
three reflection prompts, tags), arms the hooks, and clicks "Save". The hooks note the click (in the
capture phase, before the form's submit handler runs), the moment "Saved on this phone." appears —
the editor shows it only once ``saveEntry``'s IndexedDB transaction (entry and outbox item) has
committed — and the moment the ``role="status"`` region's count changes to include it. **Saved** is
the later of the two. Afterwards, untimed, the bench reads the entry and its outbox item straight
from IndexedDB, and at the end checks that the log lists every entry saved.

Baseline, in the same page right after each save: one raw IndexedDB ``put`` of that same entry into
a scratch database, from opening the transaction to its ``complete`` event: the floor of any save.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from playwright.sync_api import Browser, Page, expect

from bench.webapp.phone import back_to_log, fresh_phone, open_new_entry, sign_in, throttle
from bench.webapp.server import DEMO_EMAIL, DEMO_PASSWORD

_STORED = """async (id) => {
  const db = await new Promise((ok, fail) => {
    const request = indexedDB.open("cpl");
    request.onsuccess = () => ok(request.result);
    request.onerror = () => fail(request.error);
  });
  const read = (store) => new Promise((ok) => {
    const request = db.transaction(store).objectStore(store).get(id);
    request.onsuccess = () => ok(request.result ?? null);
  });
  const [entry, queued] = [await read("entries"), await read("outbox")];
  db.close();
  return { entry, queued };
}"""

_RAW_PUT_MS = """async (entry) => {
  const db = await new Promise((ok, fail) => {
    const request = indexedDB.open("bench-baseline", 1);
    request.onupgradeneeded = () => request.result.createObjectStore("entries", { keyPath: "id" });
    request.onsuccess = () => ok(request.result);
    request.onerror = () => fail(request.error);
  });
  const started = performance.now();
  const transaction = db.transaction("entries", "readwrite");
  transaction.objectStore("entries").put({ ...entry, id: crypto.randomUUID() });
  await new Promise((ok) => { transaction.oncomplete = ok; });
  const elapsed = performance.now() - started;
  db.close();
  return elapsed;
}"""


@dataclass(frozen=True)
class OfflineSave:
    cpu_slowdown: float
    saved_note_ms: float
    status_ms: float
    baseline_put_ms: float

    @property
    def saved_ms(self) -> float:
        return max(self.saved_note_ms, self.status_ms)


def _save_once(page: Page, cpu_slowdown: float) -> tuple[OfflineSave, str]:
    title = f"Offline save {uuid.uuid4().hex[:8]}"
    open_new_entry(page, title)
    page.evaluate("() => { window.__bench.save = {}; }")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_function(
        "() => window.__bench.save.savedAt !== undefined && window.__bench.save.statusAt !== undefined"
    )
    expect(page).to_have_url(re.compile(r"/app/entries/[0-9a-f-]{36}$"))
    save = page.evaluate("() => window.__bench.save")
    stored = page.evaluate(_STORED, page.url.rsplit("/", 1)[-1])
    if not (stored["entry"] and stored["entry"]["title"] == title and stored["queued"]["state"] == "queued"):
        raise AssertionError(f"the saved entry is not in IndexedDB as queued: {stored}")
    return OfflineSave(
        cpu_slowdown,
        saved_note_ms=save["savedAt"] - save["clickedAt"],
        status_ms=save["statusAt"] - save["clickedAt"],
        baseline_put_ms=page.evaluate(_RAW_PUT_MS, stored["entry"]),
    ), title


def offline_saves(browser: Browser, base_url: str, runs: int, cpu_slowdown: float) -> list[OfflineSave]:
    saves, titles = [], []
    with fresh_phone(browser, base_url) as context:
        page = context.new_page()
        sign_in(page, DEMO_EMAIL, DEMO_PASSWORD)
        throttle(page, cpu_slowdown)
        context.set_offline(True)
        for _ in range(runs):
            save, title = _save_once(page, cpu_slowdown)
            saves.append(save)
            titles.append(title)
            back_to_log(page)
        for title in titles:
            expect(page.get_by_role("link", name=re.compile(re.escape(title)))).to_be_visible()
    return saves
