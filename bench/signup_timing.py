"""Sign-up's answer time for a new address and for a taken one (issue 14: they must not tell the two apart).

Run: ``.venv/bin/python -m bench.signup_timing [pairs]``. The two kinds are interleaved in one run
on one app (production argon2 cost, SQLite in a temporary folder, mail into its mail folder), so
load on the machine falls on both alike; it prints both medians and their ratio.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from cpl.app import create_app
from cpl.migrate import migrate_database
from cpl.settings import Settings

PASSWORD = "a long enough password"


async def _timed(client: httpx.AsyncClient, email: str) -> float:
    start = time.perf_counter()
    answer = await client.post("/v1/auth/register", json={"email": email, "password": PASSWORD, "display_name": "B"})
    elapsed = time.perf_counter() - start
    if answer.status_code != 202:
        raise RuntimeError(f"sign-up answered {answer.status_code}: {answer.text}")
    return elapsed


async def measure(pairs: int) -> tuple[list[float], list[float]]:
    settings = Settings(data_dir=Path(tempfile.mkdtemp()))
    await migrate_database(settings)
    app = create_app(settings)
    new: list[float] = []
    taken: list[float] = []
    async with app.lifespan(), httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://b") as client:
        await _timed(client, "taken@example.org")
        for _ in range(pairs):
            new.append(await _timed(client, f"n{uuid.uuid4().hex}@example.org"))
            taken.append(await _timed(client, "taken@example.org"))
    return new, taken


def main() -> None:
    pairs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    new, taken = asyncio.run(measure(pairs))
    new_median, taken_median = statistics.median(new), statistics.median(taken)
    print(
        f"{pairs} pairs: new address median {new_median * 1000:.1f} ms "
        f"(min {min(new) * 1000:.1f}), taken address median {taken_median * 1000:.1f} ms "
        f"(min {min(taken) * 1000:.1f}); taken/new {taken_median / new_median:.2f}"
    )


if __name__ == "__main__":
    main()
