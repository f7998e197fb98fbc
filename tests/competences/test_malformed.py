"""Malformed framework files: each is refused with a 422 naming the item or line, importing nothing."""

from __future__ import annotations

import pytest

from tests.competences.helpers import edited, frameworks, generated_package, import_case, import_csv, sample

SMART = "opensalt-SmartLevelFramework.json"


def _drop_item_identifier(package):
    del package["CFItems"][3]["identifier"]


def _duplicate_identifier(package):
    package["CFItems"][4]["identifier"] = package["CFItems"][2]["identifier"]


def _duplicate_code(package):
    package["CFItems"][1]["humanCodingScheme"] = "X.1"
    package["CFItems"][5]["humanCodingScheme"] = "X.1"


def _parent_cycle(package):
    """Item 1 becomes a child of its own child Item 1.1."""
    item_1, item_1_1 = package["CFItems"][0], package["CFItems"][2]
    package["CFAssociations"][0]["destinationNodeURI"] = {
        "title": "Item 1.1",
        "identifier": item_1_1["identifier"],
        "uri": item_1_1["uri"],
    }
    assert package["CFAssociations"][0]["originNodeURI"]["identifier"] == item_1["identifier"]


def _unknown_parent(package):
    package["CFAssociations"][5]["destinationNodeURI"] = {
        "title": "Nowhere",
        "identifier": "99999999-9999-4999-8999-999999999999",
        "uri": "https://x.example/n",
    }


def _unknown_origin(package):
    package["CFAssociations"][6]["originNodeURI"]["identifier"] = "88888888-8888-4888-8888-888888888888"


def _unknown_association_type(package):
    package["CFAssociations"][7]["associationType"] = "isFriendOf"


def _missing_statement(package):
    del package["CFItems"][8]["fullStatement"]


def _missing_document_identifier(package):
    del package["CFDocument"]["identifier"]


def _nul_in_statement(package):
    package["CFItems"][9]["fullStatement"] = "bad \x00 byte"


MALFORMED = {
    "item without identifier": (_drop_item_identifier, "CFItems[3]"),
    "two items with one identifier": (_duplicate_identifier, "CFItems[4]"),
    "two items with one code": (_duplicate_code, "CFItems[5]"),
    "parents in a cycle": (_parent_cycle, "CFItems[0]"),
    "parent not in the package": (_unknown_parent, "CFAssociations[5]"),
    "association from an unknown item": (_unknown_origin, "CFAssociations[6]"),
    "unknown association type": (_unknown_association_type, "CFAssociations[7]"),
    "item without fullStatement": (_missing_statement, "CFItems[8]"),
    "document without identifier": (_missing_document_identifier, "CFDocument"),
    "NUL character": (_nul_in_statement, "CFItems[9]"),
}


async def _assert_refused(client, headers, response, named: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["detail"].startswith("Nothing was imported.")
    assert any(named in error["field"] for error in body["errors"]), body
    assert not [f for f in await frameworks(client, headers) if not f["built_in"]]


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
async def test_malformed_case_package_is_refused_by_name(client, admin, case):
    change, named = MALFORMED[case]
    response = await import_case(client, admin, edited(sample(SMART), change))
    await _assert_refused(client, admin, response, named)


async def test_cycle_names_every_item_in_it(client, admin):
    response = await import_case(client, admin, edited(sample(SMART), _parent_cycle))
    message = " ".join(error["message"] for error in response.json()["errors"])
    assert "cycle" in message and "00000000-0000-0000-0000-000000000001" in message


@pytest.mark.parametrize(
    "body, named",
    [
        (b'{"CFDocument": {"identifier": "x", "title": "T"', "body"),
        (b"\xff\xfe not text", "body"),
        (b"[1, 2, 3]", "body"),
        (b"{}", "CFDocument"),
    ],
    ids=["truncated JSON", "not UTF-8", "not an object", "no CFDocument"],
)
async def test_unreadable_case_files_are_refused(client, admin, body, named):
    await _assert_refused(client, admin, await import_case(client, admin, body), named)


async def test_a_document_without_version_or_date_cannot_be_an_edition(client, admin):
    package = edited(
        generated_package(2), lambda p: [p["CFDocument"].pop(key) for key in ("version", "lastChangeDateTime")]
    )
    await _assert_refused(client, admin, await import_case(client, admin, package), "CFDocument")


async def test_a_refused_large_package_leaves_nothing_behind(client, admin):
    package = generated_package(3000)
    package["CFAssociations"][2999]["destinationNodeURI"]["identifier"] = "77777777-7777-4777-8777-777777777777"
    await _assert_refused(client, admin, await import_case(client, admin, package), "CFAssociations[2999]")


CSV_HEADER = "code,title,statement,parent_code\n"


@pytest.mark.parametrize(
    "text, named, words",
    [
        (CSV_HEADER + "A,Alpha,,\nB,Beta,,\nA,Again,,\n", "line 4", "also used by line 2"),
        (CSV_HEADER + "A,Alpha,,\nB,Beta,,Z\n", "line 3", "'Z'"),
        (CSV_HEADER + "A,Alpha,,B\nB,Beta,,A\n", "line 2", "cycle"),
        (CSV_HEADER + "A,Alpha,,\n,No code,,\n", "line 3", "code"),
        (CSV_HEADER + "A,Alpha,,\nB,Beta\n", "line 3", "fields"),
        ("code,name\nA,Alpha\n", "line 1", "title"),
        ("code,title,colour\nA,Alpha,red\n", "line 1", "colour"),
        (CSV_HEADER, "line 2", "no items"),
        (CSV_HEADER + 'A,"Alpha,,\n', "line", "CSV"),
    ],
    ids=[
        "duplicate code",
        "unknown parent",
        "parent cycle",
        "empty code",
        "short line",
        "missing column",
        "unknown column",
        "no rows",
        "unclosed quote",
    ],
)
async def test_malformed_csv_is_refused_by_line(client, admin, text, named, words):
    response = await import_csv(client, admin, text, title="Local framework")
    await _assert_refused(client, admin, response, named)
    assert words in response.json()["detail"] + " ".join(e["message"] for e in response.json()["errors"])


async def test_csv_that_is_not_utf8_is_refused(client, admin):
    response = await import_csv(client, admin, (CSV_HEADER + "A,Caf\xe9,,\n").encode("latin-1"), title="Local")
    await _assert_refused(client, admin, response, "line 2")


async def test_csv_needs_a_title_and_case_takes_no_csv_parameters(client, admin):
    untitled = await import_csv(client, admin, CSV_HEADER + "A,Alpha,,\n")
    await _assert_refused(client, admin, untitled, "title")
    with_parameters = await import_case(client, admin, sample(SMART), title="Mine")
    assert with_parameters.status_code == 422
    assert "title" in with_parameters.json()["detail"]
