// Added to every page the bench opens, before the app's own scripts (Playwright's init script).
// It changes nothing in the app: it only watches the document and notes, with performance.now()
// (milliseconds since this page's navigation started), when what the worker sees first happens.
// The bench reads window.__bench from outside with page.evaluate.
(() => {
  const marks = {};
  const statusLog = [];
  const bench = { marks, statusLog, save: null, online: null };
  window.__bench = bench;
  const mark = (name) => {
    if (!(name in marks)) marks[name] = performance.now();
  };
  const labelled = (text) => {
    const label = [...document.querySelectorAll("label")].find((l) => l.textContent.trim() === text);
    return label ? label.control : null;
  };
  const button = (text) => [...document.querySelectorAll("button")].find((b) => b.textContent.trim() === text);
  const usable = (element) => element && !element.disabled && element.getClientRects().length > 0;
  const statusText = () => document.querySelector('[role="status"]')?.textContent.trim() ?? null;

  let lastStatus = null;
  const look = () => {
    if (usable(labelled("Email")) && !("emailShown" in marks)) {
      mark("emailShown");
      // The first task the main thread runs after the box appeared: it is free to handle a keystroke.
      setTimeout(() => mark("emailShownThenIdle"), 0);
    }
    if (usable(button("New entry"))) mark("newEntryShown");
    if (document.querySelector('a[href^="/app/entries/"]')) mark("entryListed");
    const status = statusText();
    if (status !== null && status !== lastStatus) {
      lastStatus = status;
      statusLog.push([performance.now(), status]);
    }
    const save = bench.save && bench.save.clickedAt !== undefined ? bench.save : null;
    if (save && save.savedAt === undefined && document.querySelector(".saved-note")) save.savedAt = performance.now();
    if (save && save.statusAt === undefined && status !== save.statusBefore) {
      save.statusAt = performance.now();
      save.statusAfter = status;
    }
  };
  new MutationObserver(look).observe(document, { childList: true, subtree: true, characterData: true, attributes: true });

  // The first input event the Email box handles: the sign-in screen accepts what the worker types.
  document.addEventListener("input", (event) => {
    if (event.target === labelled("Email")) mark("emailAcceptedInput");
  }, true);
  // Capture phase: runs before the form's submit handler, at the moment of the click.
  document.addEventListener("click", (event) => {
    const target = event.target.closest?.("button");
    if (bench.save && target && target.textContent.trim() === "Save") {
      bench.save.clickedAt = performance.now();
      bench.save.statusBefore = statusText();
    }
  }, true);
  window.addEventListener("online", () => {
    bench.online = performance.now();
  });
})();
