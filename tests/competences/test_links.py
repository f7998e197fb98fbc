"""Linking evidence entries to competence items: across frameworks, replaced whole, owner only."""

from __future__ import annotations

from tests.competences.helpers import edited, generated_package, import_case, items_by_code
from tests.factories import put_entry, sign_up


async def _put_links(client, headers, entry_id, links):
    return await client.put(f"/v1/evidence/{entry_id}/competences", json={"links": links}, headers=headers)


async def test_one_entry_links_to_items_of_several_frameworks(client, worker):
    entry = await put_entry(client, worker)
    nmc = await items_by_code(client, worker, "The NMC Code")
    sssc = await items_by_code(client, worker, "SSSC continuous")
    links = [
        {"item_id": nmc["NMC.17"]["id"], "note": "Escalated a safeguarding concern"},
        {"item_id": sssc["CLE.PROTECT.ADULT"]["id"], "note": "Adult protection case study"},
    ]
    response = await _put_links(client, worker, entry["id"], links)
    assert response.status_code == 200, response.text
    shown = {(link["item"]["code"], link["note"]) for link in response.json()["links"]}
    assert shown == {
        ("NMC.17", "Escalated a safeguarding concern"),
        ("CLE.PROTECT.ADULT", "Adult protection case study"),
    }
    fetched = await client.get(f"/v1/evidence/{entry['id']}/competences", headers=worker)
    assert fetched.json() == response.json()
    assert {link["item"]["framework"]["edition"] for link in fetched.json()["links"]} == {"2018", "2024"}


async def test_put_replaces_the_whole_set(client, worker):
    entry = await put_entry(client, worker)
    nmc = await items_by_code(client, worker, "The NMC Code")
    await _put_links(client, worker, entry["id"], [{"item_id": nmc["NMC.1"]["id"]}, {"item_id": nmc["NMC.2"]["id"]}])
    replaced = await _put_links(client, worker, entry["id"], [{"item_id": nmc["NMC.3"]["id"], "note": "Assessment"}])
    assert [link["item"]["code"] for link in replaced.json()["links"]] == ["NMC.3"]
    again = await _put_links(client, worker, entry["id"], [{"item_id": nmc["NMC.3"]["id"], "note": "Assessment"}])
    assert again.json() == replaced.json()
    cleared = await _put_links(client, worker, entry["id"], [])
    assert cleared.json()["links"] == []


async def test_unknown_or_repeated_items_are_refused_by_position(client, worker):
    entry = await put_entry(client, worker)
    nmc = await items_by_code(client, worker, "The NMC Code")
    unknown = await _put_links(
        client,
        worker,
        entry["id"],
        [{"item_id": nmc["NMC.1"]["id"]}, {"item_id": "00000000-0000-4000-8000-000000000000"}],
    )
    assert unknown.status_code == 422
    assert [e["field"] for e in unknown.json()["errors"]] == ["links.1.item_id"]
    repeated = await _put_links(client, worker, entry["id"], [{"item_id": nmc["NMC.1"]["id"]}] * 2)
    assert repeated.status_code == 422
    assert repeated.json()["errors"][0]["field"] == "links.1.item_id"
    too_long = await _put_links(client, worker, entry["id"], [{"item_id": nmc["NMC.1"]["id"], "note": "x" * 501}])
    assert too_long.status_code == 422
    assert (await client.get(f"/v1/evidence/{entry['id']}/competences", headers=worker)).json()["links"] == []


async def test_nobody_links_or_reads_another_workers_entry(client, worker):
    entry = await put_entry(client, worker)
    nmc = await items_by_code(client, worker, "The NMC Code")
    await _put_links(client, worker, entry["id"], [{"item_id": nmc["NMC.1"]["id"], "note": "mine"}])
    intruder = await sign_up(client)
    assert (await _put_links(client, intruder, entry["id"], [{"item_id": nmc["NMC.2"]["id"]}])).status_code == 404
    assert (await client.get(f"/v1/evidence/{entry['id']}/competences", headers=intruder)).status_code == 404
    mine = await client.get(f"/v1/evidence/{entry['id']}/competences", headers=worker)
    assert [link["item"]["code"] for link in mine.json()["links"]] == ["NMC.1"]


async def test_a_deleted_entry_cannot_be_linked(client, worker):
    entry = await put_entry(client, worker)
    nmc = await items_by_code(client, worker, "The NMC Code")
    assert (await client.delete(f"/v1/evidence/{entry['id']}", headers=worker)).status_code == 204
    assert (await _put_links(client, worker, entry["id"], [{"item_id": nmc["NMC.1"]["id"]}])).status_code == 410


async def test_links_keep_pointing_at_their_edition(client, admin, worker):
    first = generated_package(5, version="1")
    old = (await import_case(client, admin, first)).json()["framework"]
    old_items = await items_by_code(client, worker, "Generated skills")
    entry = await put_entry(client, worker)
    await _put_links(client, worker, entry["id"], [{"item_id": old_items["GEN.2"]["id"], "note": "v1"}])
    second = edited(
        first, lambda p: (p["CFDocument"].update(version="2"), p["CFItems"][2].update(fullStatement="Changed"))
    )
    new = (await import_case(client, admin, second)).json()["framework"]
    assert new["id"] != old["id"]
    links = (await client.get(f"/v1/evidence/{entry['id']}/competences", headers=worker)).json()["links"]
    assert [(link["item"]["id"], link["item"]["framework"]["edition"]) for link in links] == [
        (old_items["GEN.2"]["id"], "1")
    ]
