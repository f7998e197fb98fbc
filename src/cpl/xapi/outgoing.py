"""A worker's entries as xAPI statements, for a worker or organisation who keeps an LRS of their own.

Each live entry is one statement (xAPI 1.0.3 Part Two §2.4), answered as a StatementResult (§2.5):

- ``id``: a UUID derived from the entry's id and version, so the same version is always the same
  statement and an edited entry is a new one.
- ``actor``: the worker, by ``mbox``; ``verb``: ADL ``completed`` for learning activities and
  practice hours, ``experienced`` for other kinds (reflective accounts, feedback, discussions).
- ``object``: an Activity whose id is the entry's IRI under cpl's public address
  (``{public_base_url}/xapi/activities/entries/{id}``), named by the entry's title; its type is
  the ADL one for cpl's activity types where one fits (the reverse of :data:`.drafts.ACTIVITY_TYPES`).
- ``result.duration`` (ISO 8601), ``result.completion``; ``timestamp``: the entry's last day, at
  midnight UTC.
- ``context.extensions`` under ``{public_base_url}/xapi/extensions/``: ``cpd-minutes``,
  ``participatory``, ``kind``, ``activity-type``.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid5

from cpl.evidence import entries_data
from cpl.kernel.principal import Principal
from cpl.xapi.drafts import ACTIVITY_TYPES

VERBS = {
    "completed": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en": "completed"}},
    "experienced": {"id": "http://adlnet.gov/expapi/verbs/experienced", "display": {"en": "experienced"}},
}
COMPLETED_KINDS = frozenset({"learning_activity", "practice_hours"})
#: cpl's activity type → the first ADL/registry type that maps to it.
OBJECT_TYPES = {cpl: iri for iri, cpl in reversed(list(ACTIVITY_TYPES.items()))}


def iso_duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest or not hours else "")


def statement_of(base_url: str, worker: Principal, entry: dict[str, Any]) -> dict[str, Any]:
    base = base_url.rstrip("/")
    activity = f"{base}/xapi/activities/entries/{entry['id']}"
    definition: dict[str, Any] = {"name": {"en": entry["title"]}}
    if entry["description"]:
        definition["description"] = {"en": entry["description"]}
    if entry["activity_type"] in OBJECT_TYPES:
        definition["type"] = OBJECT_TYPES[entry["activity_type"]]
    last_day = entry["ended_on"] or entry["occurred_on"]
    extensions = f"{base}/xapi/extensions"
    return {
        "id": str(uuid5(UUID(str(entry["id"])), f"version {entry['version']}")),
        "actor": {"objectType": "Agent", "name": worker.display_name, "mbox": f"mailto:{worker.email}"},
        "verb": VERBS["completed" if entry["kind"] in COMPLETED_KINDS else "experienced"],
        "object": {"objectType": "Activity", "id": activity, "definition": definition},
        "result": {"completion": True, "duration": iso_duration(entry["duration_minutes"])},
        "context": {
            "platform": "cpl",
            "extensions": {
                f"{extensions}/cpd-minutes": entry["duration_minutes"],
                f"{extensions}/participatory": entry["participatory"],
                f"{extensions}/kind": entry["kind"],
                f"{extensions}/activity-type": entry["activity_type"],
            },
        },
        "timestamp": f"{last_day.isoformat()}T00:00:00Z",
        "version": "1.0.3",
    }


async def statements_of(base_url: str, worker: Principal) -> dict[str, Any]:
    """Every live entry of the worker's as a statement, oldest change first, in one StatementResult."""
    entries = [entry for entry in await entries_data(worker.account_id) if entry["deleted_at"] is None]
    return {"statements": [statement_of(base_url, worker, entry) for entry in entries], "more": ""}
