"""Searching every framework's items by code, title and statement."""

from __future__ import annotations

from tests.competences.helpers import framework_by_title, import_csv


async def _search(client, headers, **params):
    response = await client.get("/v1/competences", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def test_an_exact_code_comes_first(client, worker):
    hits = await _search(client, worker, q="NMC.1")
    assert hits[0]["code"] == "NMC.1"
    assert {hit["code"] for hit in hits} >= {"NMC.1", "NMC.10", "NMC.19"}
    assert hits[0]["framework"]["edition"] == "2018"


async def test_every_word_must_match_in_any_case(client, worker):
    hits = await _search(client, worker, q="ADULT protection")
    assert "CLE.PROTECT.ADULT" in [hit["code"] for hit in hits]
    for hit in hits:
        text = f"{hit['code']} {hit['title']} {hit['statement']}".lower()
        assert "adult" in text and "protection" in text
    assert await _search(client, worker, q="protection zebra") == []


async def test_search_within_one_framework_and_limit(client, worker):
    nmc = await framework_by_title(client, worker, "The NMC Code")
    hits = await _search(client, worker, q="trust", framework=nmc["id"])
    assert hits and all(hit["framework"]["id"] == nmc["id"] for hit in hits)
    assert len(await _search(client, worker, q="e", limit=3)) == 3


async def test_like_wildcards_are_literal(client, admin, worker):
    text = (
        "code,title,statement,parent_code\n"
        "P1,Percent,Scores 100% on audits,\nP2,Plain,Scores 100 on audits,\nU_1,Under,Plain,\n"
    )
    assert (await import_csv(client, admin, text, title="Wildcards")).status_code == 201
    assert [hit["code"] for hit in await _search(client, worker, q="100%")] == ["P1"]
    assert [hit["code"] for hit in await _search(client, worker, q="u_1")] == ["U_1"]


async def test_bad_search_parameters(client, worker):
    assert (await client.get("/v1/competences", params={"q": ""}, headers=worker)).status_code == 422
    assert (await client.get("/v1/competences", params={"q": "x", "limit": 0}, headers=worker)).status_code == 422
    assert (await client.get("/v1/competences", params={"q": "x"})).status_code == 401


async def test_control_characters_in_the_search_are_a_422_naming_it(client, worker):
    response = await client.get("/v1/competences", params={"q": "trust\x00"}, headers=worker)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [error["field"] for error in response.json()["errors"]] == ["q"]
