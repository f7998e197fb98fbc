"""Judging many workers' lines together (issue 15, item 7: a batch of workers is read and stored in a
few statements): each line is still judged from its own worker's shared record, a worker who stopped
sharing drops out beside others who still share, and a mark made while a batch is judged is kept."""

from __future__ import annotations

import uuid
from datetime import date

from cpl.workforce.refresh import judge_batch
from cpl.workforce.store import lines_to_judge
from tests.competences.helpers import items_by_code
from tests.factories import put_entry
from tests.organisations.helpers import account, join, organisation, share, team
from tests.workforce.helpers import day, register, worker, workforce


def _by_name(page: dict) -> dict[str, dict]:
    return {line["display_name"]: line for line in page["items"]}


async def test_workers_judged_together_count_only_what_each_shares_with_the_organisation(client):
    """Two workers in one batch: each line counts that worker's own entries their shares with this
    organisation admit, with those entries' links — never the other's, nor what they share elsewhere."""
    t = await team(client)
    await share(client, t.worker, t.organisation_id, filter={})
    await put_entry(client, t.worker, occurred_on=day(5))
    await register(client, t.worker)
    sssc = await items_by_code(client, t.worker, "SSSC continuous")
    links = {"links": [{"item_id": sssc["CLE.RIGHTS"]["id"], "note": "rights"}]}
    linked = await client.put(f"/v1/evidence/{t.entry['id']}/competences", json=links, headers=t.worker)
    assert linked.status_code == 200, linked.text

    nurse, _ = await worker(client, t, "Nia Nurse")
    chosen = await put_entry(client, nurse, occurred_on=day(40))
    await put_entry(client, nurse, occurred_on=day(1))  # not shared with this organisation
    await share(client, nurse, t.organisation_id, entry_ids=[chosen["id"]])
    elsewhere_admin, _ = await account(client, "Otto Other")
    elsewhere = await organisation(client, elsewhere_admin, name="Elsewhere Care")
    await join(client, elsewhere_admin, elsewhere, nurse, "worker")
    await share(client, nurse, elsewhere, filter={})
    await register(client, nurse)

    lines = _by_name(await workforce(client, t))
    wren, nia = lines["Wren Worker"], lines["Nia Nurse"]
    assert (wren["shared_entries"], wren["last_activity"]) == (2, day(3))
    assert (nia["shared_entries"], nia["last_activity"]) == (1, day(40))
    covered = {
        name: {item["code"] for item in line["registrations"][0]["mandatory_learning"] if item["covered"]}
        for name, line in lines.items()
    }
    assert covered == {"Wren Worker": {"CLE.RIGHTS"}, "Nia Nurse": set()}


async def test_a_worker_who_stopped_sharing_drops_out_beside_those_who_share(client):
    t = await team(client)
    workers = {"Wren Worker": (t.worker, await share(client, t.worker, t.organisation_id, filter={}))}
    for name in ("Nia Nurse", "Sol Carer"):
        headers, _ = await worker(client, t, name)
        await put_entry(client, headers)
        workers[name] = (headers, await share(client, headers, t.organisation_id, filter={}))
    assert (await workforce(client, t))["total"] == 3

    # Every worker's line marked, and one stops sharing: the three are judged in one batch.
    for headers, _ in workers.values():
        await put_entry(client, headers, occurred_on=day(2))
    headers, stopped = workers["Wren Worker"]
    assert (await client.delete(f"/v1/shares/{stopped['id']}", headers=headers)).status_code == 204
    page = await workforce(client, t)
    assert page["total"] == 2 and sorted(_by_name(page)) == ["Nia Nurse", "Sol Carer"]
    assert [line["shared_entries"] for line in page["items"]] == [2, 2]
    assert await lines_to_judge(uuid.UUID(t.organisation_id), date.today()) == []


async def test_a_mark_made_while_a_batch_is_judged_leaves_the_line_marked(client):
    """The marks are read before the records: a change after that read leaves its line to be judged
    again, while the others of the batch are stored as judged; a judgement from an older mark never
    replaces a later one."""
    t = await team(client)
    await share(client, t.worker, t.organisation_id, filter={})
    nurse, nurse_id = await worker(client, t, "Nia Nurse")
    await share(client, nurse, t.organisation_id, filter={})
    await workforce(client, t)
    organisation_id, today = uuid.UUID(t.organisation_id), date.today()
    await put_entry(client, t.worker, occurred_on=day(1))
    await put_entry(client, nurse, occurred_on=day(1))
    marked = await lines_to_judge(organisation_id, today)
    assert sorted(worker for worker, _ in marked) == sorted([uuid.UUID(t.worker_id), uuid.UUID(nurse_id)])

    await put_entry(client, nurse, occurred_on=day(2))  # while the batch is being judged
    await judge_batch(organisation_id, marked, today)
    [(still_marked, mark)] = await lines_to_judge(organisation_id, today)
    assert still_marked == uuid.UUID(nurse_id)
    assert mark > dict(marked)[still_marked]

    page = _by_name(await workforce(client, t))  # judged again at the later mark
    assert (page["Wren Worker"]["shared_entries"], page["Nia Nurse"]["shared_entries"]) == (2, 2)
    assert await lines_to_judge(organisation_id, today) == []
    await judge_batch(organisation_id, marked, today)  # an older judgement comes late: not stored
    assert await lines_to_judge(organisation_id, today) == []
