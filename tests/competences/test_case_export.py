"""What cpl serves at the CASE path validates against the CASE 1.0 CFPackage schema."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import jsonschema
import pytest

from tests.competences.helpers import CFPACKAGE_SCHEMA, framework_by_title, import_case, import_csv, sample

SCHEMA = json.loads(CFPACKAGE_SCHEMA.read_text())


async def _served(client, headers, reference):
    response = await client.get(f"/ims/case/v1p0/CFPackages/{reference}", headers=headers)
    assert response.status_code == 200, response.text
    package = response.json()
    jsonschema.validate(package, SCHEMA)
    return package


async def test_an_imported_package_is_served_back_as_it_came(client, admin):
    original = sample("opensalt-sample-framework.json")
    framework = (await import_case(client, admin, original)).json()["framework"]
    served = await _served(client, admin, framework["id"])
    assert served["CFDocument"]["identifier"] == original["CFDocument"]["identifier"]
    by_id = {item["identifier"]: item for item in served["CFItems"]}
    for item in original["CFItems"]:
        assert by_id[item["identifier"]]["fullStatement"] == item["fullStatement"]
        assert by_id[item["identifier"]]["humanCodingScheme"] == item["humanCodingScheme"]
        assert by_id[item["identifier"]]["educationalLevel"] == item["educationalLevel"]
    served_links = {
        (a["originNodeURI"]["identifier"], a["associationType"], a["destinationNodeURI"]["identifier"])
        for a in served["CFAssociations"]
    }
    original_links = {
        (a["originNodeURI"]["identifier"], a["associationType"], a["destinationNodeURI"]["identifier"])
        for a in original["CFAssociations"]
    }
    assert served_links == original_links
    by_identifier = await _served(client, admin, original["CFDocument"]["identifier"])
    assert by_identifier["CFDocument"] == served["CFDocument"]


@pytest.mark.parametrize("title", ["The NMC Code", "SSSC continuous", "HCPC standards"])
async def test_built_in_frameworks_are_valid_case(client, worker, title):
    framework = await framework_by_title(client, worker, title)
    served = await _served(client, worker, framework["id"])
    assert served["CFDocument"]["officialSourceURL"] == framework["source_uri"]
    assert all(a["associationType"] == "isChildOf" for a in served["CFAssociations"])


async def test_a_csv_framework_is_valid_case(client, admin):
    text = "code,title,statement,parent_code\nA,Alpha,,\nA.1,Alpha one,First part,A\n"
    framework = (await import_csv(client, admin, text, title="Local")).json()["framework"]
    served = await _served(client, admin, framework["id"])
    assert [item["humanCodingScheme"] for item in served["CFItems"]] == ["A", "A.1"]


async def test_unknown_package_is_404(client, worker):
    assert (await client.get("/ims/case/v1p0/CFPackages/nothing-here", headers=worker)).status_code == 404
    assert (
        await client.get("/ims/case/v1p0/CFPackages/00000000-0000-4000-8000-000000000000", headers=worker)
    ).status_code == 404


async def test_a_reference_with_control_characters_is_a_422_naming_it(client, worker):
    response = await client.get("/ims/case/v1p0/CFPackages/a%00b", headers=worker)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [error["field"] for error in response.json()["errors"]] == ["reference"]


@pytest.mark.parametrize("title", ["The NMC Code", "SSSC continuous"])
async def test_every_uri_cpl_writes_into_a_package_answers_publicly_with_that_object(client, worker, settings, title):
    """CASE 1.0 REST (getCFDocument, getCFItem, getCFAssociation): the URIs are not just names."""
    framework = await framework_by_title(client, worker, title)
    served = await _served(client, worker, framework["id"])
    base = settings.public_base_url.rstrip("/") + "/ims/case/v1p0/"
    objects = [served["CFDocument"], *served["CFItems"], *served["CFAssociations"]]
    assert all(thing["uri"].startswith(base) for thing in objects)
    for thing in objects:
        response = await client.get(urlsplit(thing["uri"]).path)  # no token: frameworks are public
        assert response.status_code == 200, thing["uri"]
        assert response.headers["access-control-allow-origin"] == "*"
        assert response.json() == thing
    package = await client.get(f"/ims/case/v1p0/CFPackages/{framework['id']}", headers={"Origin": "https://a.example"})
    assert package.status_code == 200 and package.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("kind", ["CFItems", "CFAssociations", "CFDocuments"])
async def test_an_unknown_case_identifier_is_a_404_problem(client, kind):
    response = await client.get(f"/ims/case/v1p0/{kind}/no-such-identifier")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
