"""500 entries queued offline, then synced.

A new worker (empty record) signs in on a new phone; once the service worker controls the page the
phone goes offline and the worker saves one entry through the editor. The bench then fills the
app's own outbox through the page: 499 copies of the entry and outbox item the app just wrote
(new UUIDs, titles numbered, queued one millisecond apart), in one raw IndexedDB transaction — the
records the app's ``saveEntry`` writes, so the sync engine cannot tell them from typed ones. The
log is opened again offline and must say "500 waiting to upload". Then the phone goes online and the
hooks time, inside the page, from the ``online`` event to the status saying "All changes saved"
(the app's outbox is empty: every entry acknowledged by the server); right after, the API must list
exactly the 500 entries, each once. Network unthrottled (loopback), CPU slowed as given.

Baseline, same run: the same 500 entries sent straight through the API by httpx for another new
worker, as the app sends them (``POST /v1/evidence/batch``, 100 a request, one after another).
"""

from __future__ import annotations

import time
import uuid
from contextlib import closing
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Browser, Page, Request

from bench.webapp.phone import ALL_SAVED, expect_status, fresh_phone, open_new_entry, sign_in, throttle
from bench.webapp.server import bearer_client, listed_entries, new_worker

QUEUED = 500
BATCH = 100
SYNC_TIMEOUT_MS = 300_000

_FILL_OUTBOX = """async ({ count, prefix }) => {
  const db = await new Promise((ok, fail) => {
    const request = indexedDB.open("cpl");
    request.onsuccess = () => ok(request.result);
    request.onerror = () => fail(request.error);
  });
  const get = (request) => new Promise((ok) => { request.onsuccess = () => ok(request.result); });
  const transaction = db.transaction(["entries", "outbox"], "readwrite");
  const entries = transaction.objectStore("entries");
  const outbox = transaction.objectStore("outbox");
  const [item] = await get(outbox.getAll());
  const entry = await get(entries.get(item.entry_id));
  for (let number = 2; number <= count; number++) {
    const id = crypto.randomUUID();
    const title = `${prefix} ${number}`;
    outbox.put({ ...item, entry_id: id, content: { ...item.content, title }, queued_at: item.queued_at + number });
    entries.put({ ...entry, id, title });
  }
  await new Promise((ok) => { transaction.oncomplete = ok; });
  db.close();
  return item.content;
}"""


@dataclass(frozen=True)
class QueueSynced:
    cpu_slowdown: float
    app_ms: float
    first_acknowledged_ms: float
    #: The batch requests' own time (request sent → answer read), summed.
    batches_ms: float
    #: Who sent the batches: the page (its "online" handler) or the service worker (Background Sync).
    batches_sent_by: str
    #: Times the status changed while the queue emptied (once per batch would be 5).
    status_updates: int
    baseline_ms: float
    listed: int


def _queue_offline(page: Page, prefix: str) -> dict[str, Any]:
    """The 500 entries in the outbox, the log reopened offline; the content of the typed one."""
    open_new_entry(page, f"{prefix} 1")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/app/entries/*")
    content = page.evaluate(_FILL_OUTBOX, {"count": QUEUED, "prefix": prefix})
    page.goto("/app/", wait_until="load")
    expect_status(page, f"{QUEUED} waiting to upload")
    return content


def _send_straight(base_url: str, content: dict[str, Any], prefix: str) -> float:
    """The baseline: the same entries through the API with httpx; seconds → ms."""
    worker = new_worker(base_url)
    with closing(bearer_client(base_url, worker)) as client:
        bodies = [
            {**content, "title": f"{prefix} {number}", "id": str(uuid.uuid4()), "if_match": None}
            for number in range(1, QUEUED + 1)
        ]
        started = time.perf_counter()
        for first in range(0, QUEUED, BATCH):
            answer = client.post("/v1/evidence/batch", json={"entries": bodies[first : first + BATCH]})
            answer.raise_for_status()
        elapsed = (time.perf_counter() - started) * 1000
        if len(listed_entries(client)) != QUEUED:
            raise AssertionError("the baseline's entries are not all listed")
    return elapsed


def queue_synced(browser: Browser, base_url: str, cpu_slowdown: float) -> QueueSynced:
    worker = new_worker(base_url)
    prefix = f"Queued {uuid.uuid4().hex[:6]}"
    with fresh_phone(browser, base_url) as context:
        page = context.new_page()
        sign_in(page, worker.email, worker.password)
        context.set_offline(True)
        content = _queue_offline(page, prefix)
        # Slowed only now: a DevTools session attached across an offline navigation makes the new page
        # believe it is online (navigator.onLine), and it would then miss the "online" event.
        throttle(page, cpu_slowdown)
        if page.evaluate("navigator.onLine"):
            raise AssertionError("the reopened page should know it is offline")
        batches: list[Request] = []
        context.on("requestfinished", lambda request: "/v1/evidence/batch" in request.url and batches.append(request))
        context.set_offline(False)
        expect_status(page, ALL_SAVED, SYNC_TIMEOUT_MS)
        found = page.evaluate("() => window.__bench")
    with closing(bearer_client(base_url, worker)) as client:
        titles = [entry["title"] for entry in listed_entries(client)]
    if sorted(titles) != sorted(f"{prefix} {number}" for number in range(1, QUEUED + 1)):
        raise AssertionError(f"the API lists {len(titles)} entries, not the {QUEUED} queued, each once")
    online = found["online"]
    saved_at = next(at for at, text in found["statusLog"] if text == ALL_SAVED and at > online)
    changes = [at for at, text in found["statusLog"] if at > online]
    return QueueSynced(
        cpu_slowdown,
        app_ms=saved_at - online,
        first_acknowledged_ms=changes[0] - online,
        batches_ms=sum(request.timing["responseEnd"] for request in batches),
        batches_sent_by=", ".join(sorted({"service worker" if r.service_worker else "page" for r in batches})),
        status_updates=len(changes),
        baseline_ms=_send_straight(base_url, content, prefix),
        listed=len(titles),
    )
