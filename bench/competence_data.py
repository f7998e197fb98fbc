"""What the competence bench loads: one worker's 5,000 entries and the links each one makes."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, timedelta

from bench.workload import entry_body

LINKS_PER_WORKER = 5_000
BATCH = 100


def entry_batches() -> Iterator[list[dict]]:
    """Batches for ``POST /v1/evidence/batch``: new entries spread over the last two years."""
    today = date.today()
    for start in range(0, LINKS_PER_WORKER, BATCH):
        yield [
            {
                **entry_body(),
                "id": str(uuid.uuid4()),
                "title": f"Bench entry {number}",
                "occurred_on": (today - timedelta(days=number % 730)).isoformat(),
                "duration_minutes": 15 + number % 120,
            }
            for number in range(start, start + BATCH)
        ]


def link_plans(entry_ids: list[str], trees: dict[str, list[dict]]) -> list[tuple[str, list[dict]]]:
    """Each entry: an NMC standard and a generated item; every third entry also an SSSC CPL element."""
    nmc = [item for item in trees["NMC Code"] if item["item_type"] == "Standard"]
    sssc = trees["SSSC CPL"]
    generated = trees["15,000-item framework"]
    plans = []
    for number, entry_id in enumerate(entry_ids):
        links = [
            {"item_id": nmc[number % len(nmc)]["id"], "note": "Shown in practice"},
            {"item_id": generated[(number * 7) % len(generated)]["id"], "note": ""},
        ]
        if number % 3 == 0:
            links.append({"item_id": sssc[number % len(sssc)]["id"], "note": "Covered in the course"})
        plans.append((entry_id, links))
    return plans
