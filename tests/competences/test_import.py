"""Importing CASE packages and CSV files through the API: samples, re-import, editions, limits."""

from __future__ import annotations

import json

import pytest

from tests.competences.helpers import (
    CASE_SAMPLES,
    edited,
    flatten,
    frameworks,
    generated_package,
    import_case,
    import_csv,
    operator,
    sample,
    tree,
)
from tests.factories import sign_up


@pytest.mark.parametrize("path", CASE_SAMPLES, ids=[path.stem for path in CASE_SAMPLES])
async def test_every_opensalt_sample_imports(client, admin, path):
    package = json.loads(path.read_text())
    response = await import_case(client, admin, path.read_bytes())
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["outcome"] == "created"
    assert body["items"] == len(package["CFItems"])
    assert body["associations"] == len(package["CFAssociations"])
    shown = await tree(client, admin, body["framework"]["id"])
    assert shown["title"] == package["CFDocument"]["title"]
    assert sorted(node["identifier"] for node in flatten(shown["items"])) == sorted(
        item["identifier"] for item in package["CFItems"]
    )


async def test_sample_tree_keeps_hierarchy_types_and_external_links(client, admin):
    response = await import_case(client, admin, sample("opensalt-sample-framework.json"))
    body = response.json()
    assert body["unresolved_associations"] == 21  # exactMatchOf, exemplar, … into frameworks cpl does not hold
    shown = await tree(client, admin, body["framework"]["id"])
    assert [node["code"] for node in shown["items"]] == ["CCSS.Math.Content.6.RP.A", "CCSS.Math.Content.7.RP.A"]
    cluster = shown["items"][0]
    assert cluster["item_type"] == "Cluster"
    assert [child["code"] for child in cluster["children"]] == [
        "CCSS.Math.Content.6.RP.A.1",
        "CCSS.Math.Content.6.RP.A.2",
        "CCSS.Math.Content.6.RP.A.3",
    ]
    assert [c["code"] for c in cluster["children"][2]["children"]][:2] == [
        "CCSS.Math.Content.6.RP.A.3a",
        "CCSS.Math.Content.6.RP.A.3b",
    ]
    outgoing = [a for a in cluster["associations"] if a["direction"] == "outgoing"]
    assert outgoing and all(a["other"]["item_id"] is None and a["other"]["uri"] for a in outgoing)


async def test_sequence_numbers_order_siblings(client, admin):
    body = (await import_case(client, admin, sample("opensalt-SequenceNumberFramework.json"))).json()
    shown = await tree(client, admin, body["framework"]["id"])
    assert [node["code"] for node in shown["items"]] == ["SNT.2", "SNT.1"]


async def test_utf8_titles_and_markdown_statements_survive(client, admin):
    utf8 = (await import_case(client, admin, sample("opensalt-Utf8TestFramework.json"))).json()
    assert utf8["framework"]["title"] == "UTF8 \U0001d451 Test"
    markdown = (await import_case(client, admin, sample("opensalt-MarkdownFramework.json"))).json()
    statements = [node["statement"] for node in (await tree(client, admin, markdown["framework"]["id"]))["items"]]
    assert any("| Column 1 | Column 2 |" in statement and "\r\n" in statement for statement in statements)


async def test_reimporting_the_same_package_changes_nothing(client, admin):
    package = sample("opensalt-SmartLevelFramework.json")
    first = await import_case(client, admin, package)
    before = await frameworks(client, admin)
    again = await import_case(client, admin, package)
    assert again.status_code == 200
    assert again.json()["outcome"] == "unchanged"
    assert again.json()["framework"] == first.json()["framework"]
    assert await frameworks(client, admin) == before


async def test_new_edition_imports_beside_the_old(client, admin):
    old = sample("opensalt-SmartLevelFramework.json")
    new = edited(
        old, lambda p: (p["CFDocument"].update(version="2"), p["CFItems"][0].update(fullStatement="Item 1, revised"))
    )
    first = (await import_case(client, admin, old)).json()
    second = await import_case(client, admin, new)
    assert second.status_code == 201
    editions = [f for f in await frameworks(client, admin) if f["identifier"] == old["CFDocument"]["identifier"]]
    assert sorted(f["edition"] for f in editions) == sorted(["2", old["CFDocument"]["lastChangeDateTime"]])
    old_statements = {n["statement"] for n in flatten((await tree(client, admin, first["framework"]["id"]))["items"])}
    assert "Item 1" in old_statements and "Item 1, revised" not in old_statements


async def test_same_edition_with_other_content_is_refused(client, admin):
    package = sample("opensalt-SmartLevelFramework.json")
    await import_case(client, admin, package)
    changed = edited(package, lambda p: p["CFItems"][0].update(fullStatement="Quietly rewritten"))
    response = await import_case(client, admin, changed)
    assert response.status_code == 409
    assert "new edition" in response.json()["detail"]


async def test_a_later_import_resolves_links_into_it(client, admin):
    target = generated_package(3)
    source = generated_package(2)
    target_item = target["CFItems"][1]
    source["CFAssociations"].append(
        {
            "identifier": "b0b0b0b0-0000-4000-8000-000000000001",
            "uri": "https://x.example/a/1",
            "associationType": "exactMatchOf",
            "lastChangeDateTime": "2025-01-01T00:00:00+00:00",
            "originNodeURI": {
                "title": "GEN.0",
                "identifier": source["CFItems"][0]["identifier"],
                "uri": "https://x.example/i",
            },
            "destinationNodeURI": {
                "title": "GEN.1",
                "identifier": target_item["identifier"],
                "uri": target_item["uri"],
            },
        }
    )
    assert (await import_case(client, admin, source)).json()["unresolved_associations"] == 1
    imported = (await import_case(client, admin, target)).json()
    nodes = {n["code"]: n for n in flatten((await tree(client, admin, imported["framework"]["id"]))["items"])}
    incoming = nodes["GEN.1"]["associations"]
    assert [(a["association_type"], a["direction"], a["other"]["code"]) for a in incoming] == [
        ("exactMatchOf", "incoming", "GEN.0")
    ]


async def test_a_fifteen_thousand_item_framework_imports_and_is_searchable(client, admin):
    package = generated_package(15_000)
    response = await import_case(client, admin, package)
    assert response.status_code == 201, response.text
    assert response.json()["items"] == 15_000
    hits = (await client.get("/v1/competences", params={"q": "GEN.14999"}, headers=admin)).json()["items"]
    assert hits[0]["code"] == "GEN.14999"
    again = await import_case(client, admin, package)
    assert again.json()["outcome"] == "unchanged"


async def test_csv_imports_with_its_title_and_edition(client, admin):
    text = 'code,title,statement,parent_code\nA,Alpha,The first,\nA.1,Alpha one,"Quoted, with a comma",A\nB,Beta,,\n'
    response = await import_csv(client, admin, text, title="Local induction", edition="2025", publisher="Acme Care")
    assert response.status_code == 201, response.text
    framework = response.json()["framework"]
    assert (framework["title"], framework["edition"], framework["publisher"]) == (
        "Local induction",
        "2025",
        "Acme Care",
    )
    shown = await tree(client, admin, framework["id"])
    assert [(n["code"], [c["code"] for c in n["children"]]) for n in shown["items"]] == [("A", ["A.1"]), ("B", [])]
    assert shown["items"][0]["children"][0]["statement"] == "Quoted, with a comma"
    again = await import_csv(client, admin, text, title="Local induction", edition="2025", publisher="Acme Care")
    assert again.status_code == 200 and again.json()["framework"]["id"] == framework["id"]


async def test_only_operators_import(client, admin):
    worker = await sign_up(client)
    package = sample("opensalt-AdoptedTestFramework.json")
    assert (await import_case(client, worker, package)).status_code == 403
    assert (await import_case(client, {}, package)).status_code == 401
    assert (await import_case(client, admin, package)).status_code == 201


async def test_unsupported_media_type_is_415(client, admin):
    response = await client.post(
        "/v1/frameworks/import", content=b"<xml/>", headers={**admin, "Content-Type": "application/xml"}
    )
    assert response.status_code == 415
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_a_file_over_the_limit_is_413(client_for, make_settings):
    settings = make_settings(framework_import_max_bytes=4096)
    client = await client_for(settings)
    admin = await operator(client, settings)
    response = await import_case(client, admin, generated_package(50))
    assert response.status_code == 413
    assert not [f for f in await frameworks(client, admin) if f["title"] == "Generated skills"]
