"""Bench of the worker's web app (issue 13, item 9), against ``cpl serve --demo`` serving the
committed build at ``/app/``, in Debian's Chromium driven by Playwright::

    .venv/bin/python -m bench.webapp            # print the results
    .venv/bin/python -m bench.webapp --record   # and write them into bench/RESULTS.md
    .venv/bin/python -m bench.webapp --only save sync --saves 20

Needs Playwright for Python and ``/usr/bin/chromium``; for the Lighthouse part, Node.js and
``npm ci --prefix bench/webapp``. Measures, each with a baseline from the same run:

- the app shell's JS + CSS, gzipped (``shell_size``);
- a first visit on DevTools' Slow 4G with 4× CPU, to interactive, and starting offline from the
  service worker's cache (``loading``);
- saving an entry offline (``saving``) and syncing 500 queued entries (``syncing``), timed inside
  the page by ``hooks.js``, which only observes the app;
- Lighthouse's mobile scores of the sign-in screen and the signed-in log (``lighthouse``).

In-page measures run with the CPU as it is and slowed 4× (Lighthouse's mobile CPU).
"""
