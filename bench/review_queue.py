"""Bench: the review queue of a supervisor of 50 workers (issue 15, item 7), over HTTP against
``cpl serve`` on SQLite and on PostgreSQL. Target: p99 < 100 ms.

Run from the repository root::

    .venv/bin/python -m bench.review_queue            # print the results
    .venv/bin/python -m bench.review_queue --record   # and write them into bench/RESULTS.md

The world and the turns are :mod:`bench.reviews`' (one supervisor; workers who join by invitation,
are supervised, share their record by a filter share and submit ``--reviews`` entries each; the
baseline ``GET /v1/me``, the queue ``GET /v1/reviews`` and the team view on one keep-alive
connection), with 50 workers and 10,000 entries (200 each). Since issue 15 the queue holds only
what the supervisor can still act on: reviews they lost are closed when that happens (events, in
the transaction), so reading the queue costs what it did.
"""

from __future__ import annotations

import uvloop

from bench.reviews import QUEUE, Profile
from bench.reviews import main as run_reviews_bench

PROFILE = Profile(
    module="bench.review_queue",
    heading="## Review queue of a supervisor of 50 workers (issue 15, item 7)",
    target_ms=100.0,
    issue="issue 15",
    workers=50,
    entries=10_000,
    targets=(QUEUE,),
)


async def main(argv: list[str] | None = None) -> int:
    return await run_reviews_bench(argv, PROFILE)


if __name__ == "__main__":
    raise SystemExit(uvloop.run(main()))
