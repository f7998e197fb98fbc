"""The frameworks cpl ships: present from first start, with stable codes, sources and editions."""

from __future__ import annotations

from cpl.competences.tables import CompetenceFramework
from tests.competences.helpers import flatten, frameworks, items_by_code, tree

SSSC_CPL = "SSSC continuous professional learning"
NMC = "The NMC Code"


async def test_every_built_in_framework_is_there_with_source_and_edition(client, worker):
    built_in = {f["title"]: f for f in await frameworks(client, worker) if f["built_in"]}
    assert len(built_in) == 5
    for framework in built_in.values():
        assert framework["source_uri"].startswith("https://")
        assert framework["edition"] and framework["publisher"] and framework["licence"]
    editions = {title.split(":")[0]: f["edition"] for title, f in built_in.items()}
    assert editions["SSSC Code of Practice for Social Service Workers"] == "2024"


async def test_sssc_core_learning_elements_with_mandatory_topics(client, worker):
    items = await items_by_code(client, worker, SSSC_CPL)
    top = [code for code, item in items.items() if "." not in code[4:]]
    assert top == [
        "CLE.RIGHTS",
        "CLE.COMMS",
        "CLE.WELLBEING",
        "CLE.PROTECT",
        "CLE.ROLE",
        "CLE.REFLECT",
        "CLE.LEAD",
    ]
    assert [child["code"] for child in items["CLE.COMMS"]["children"]] == ["CLE.COMMS.TRAUMA"]
    assert [child["code"] for child in items["CLE.PROTECT"]["children"]] == ["CLE.PROTECT.CHILD", "CLE.PROTECT.ADULT"]
    assert items["CLE.COMMS.TRAUMA"]["item_type"] == "Mandatory topic"
    social_work = [code for code, item in items.items() if item["item_type"] == "Social work core learning element"]
    assert social_work == ["CLE.SW.SELF", "CLE.SW.LEAD"]


async def test_nmc_code_has_four_themes_and_twenty_five_standards(client, worker):
    items = await items_by_code(client, worker, NMC)
    themes = {
        code: [child["code"] for child in item["children"]]
        for code, item in items.items()
        if item["item_type"] == "Theme"
    }
    assert list(themes) == ["NMC.PP", "NMC.PE", "NMC.PS", "NMC.PT"]
    assert [code for children in themes.values() for code in children] == [f"NMC.{n}" for n in range(1, 26)]


async def test_other_regulators_standards(client, worker):
    assert list(await items_by_code(client, worker, "HCPC standards")) == [f"HCPC.CPD.{n}" for n in range(1, 6)]
    assert list(await items_by_code(client, worker, "Social Work England")) == [f"SWE.{n}" for n in range(1, 7)]
    assert list(await items_by_code(client, worker, "SSSC Code of Practice")) == [f"SSSC.COP.{n}" for n in range(1, 7)]


async def test_crosswalk_links_are_marked_as_cpls_own(client, worker):
    items = await items_by_code(client, worker, SSSC_CPL)
    links = items["CLE.PROTECT"]["associations"]
    assert {(a["other"]["code"], a["asserted_by"]) for a in links} >= {("NMC.17", "cpl"), ("SSSC.COP.3", "cpl")}
    assert all(a["note"] for a in links)


async def test_a_restart_loads_nothing_twice(client_for, settings, worker, client):
    before = await frameworks(client, worker)
    restarted = await client_for(settings)
    assert await frameworks(restarted, worker) == before
    sssc = next(f for f in before if f["title"].startswith(SSSC_CPL))
    assert len(flatten((await tree(restarted, worker, sssc["id"]))["items"])) == 12


async def test_a_first_start_on_a_database_without_them_loads_them(client_for, settings, worker, client):
    """The harness's template database already holds them; a start that finds none loads them all."""
    before = await frameworks(client, worker)
    await CompetenceFramework.delete(force=True)  # items and crosswalk links go with them (cascade)
    assert await frameworks(client, worker) == []
    restarted = await client_for(settings)
    loaded = await frameworks(restarted, worker)
    # Loaded anew (new row ids, a later import time); everything else, the CASE identifier too, is as before.
    assert all(new["imported_at"] > old["imported_at"] for new, old in zip(loaded, before, strict=True))
    anew = {"id": None, "imported_at": None}
    assert [{**f, **anew} for f in loaded] == [{**f, **anew} for f in before]
    sssc = next(f for f in loaded if f["title"].startswith(SSSC_CPL))
    assert len(flatten((await tree(restarted, worker, sssc["id"]))["items"])) == 12
