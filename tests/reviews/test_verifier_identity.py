"""The verifier's registration number (issue 14, item 2): checked against its register's published
format, normalised by the case rule the schema states, and shown "as given, not checked with the register"."""

from __future__ import annotations

import pytest

from tests.reviews.helpers import review, submitted

AS_GIVEN = "(as given, not checked with the register)"


async def _verify(client, **identity):
    t, made = await submitted(client)
    body = {"statement": "I confirm it.", "role": "Ward manager", **identity}
    return t, made, await client.post(f"/v1/reviews/{made['id']}/verify", json=body, headers=t.supervisor)


@pytest.mark.parametrize(
    ("given", "register", "stored", "shown"),
    [
        ({"registration_number": "12A3456E"}, "nmc", "12A3456E", "NMC 12A3456E"),
        ({"registration_number": " 12a3456e ", "register": "nmc"}, "nmc", "12A3456E", "NMC 12A3456E"),
        ({"registration_number": "PH123456"}, "hcpc", "PH123456", "HCPC PH123456"),
        ({"registration_number": "pyl12345", "register": "hcpc"}, "hcpc", "PYL12345", "HCPC PYL12345"),
        ({"registration_number": "SW123456"}, "swe", "SW123456", "Social Work England SW123456"),
        ({"registration_number": "1234567", "register": "sssc"}, "sssc", "1234567", "SSSC 1234567"),
        ({"registration_number": "GMC 7654321", "register": "other"}, "other", "GMC 7654321", "GMC 7654321"),
        ({}, "", "", ""),
    ],
)
async def test_a_number_in_its_registers_format_is_kept_normalised(client, given, register, stored, shown):
    _, _, response = await _verify(client, **given)
    assert response.status_code == 200, response.text
    [verification] = response.json()["verifications"]
    assert verification["verifier_registration_number"] == stored
    assert verification["verifier_register"] == register
    assert verification["registration_shown_as"] == (f"{shown} {AS_GIVEN}" if shown else "")


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ({"registration_number": "1234567E", "register": "nmc"}, "NMC format"),
        ({"registration_number": "12A3456", "register": "nmc"}, "NMC format"),
        ({"registration_number": "12A 3456E", "register": "nmc"}, "NMC format"),
        ({"registration_number": "XX123456", "register": "hcpc"}, "HCPC format"),
        ({"registration_number": "PH1234567", "register": "hcpc"}, "HCPC format"),
        ({"registration_number": "SW12A", "register": "swe"}, "Social Work England format"),
        ({"registration_number": "PH123456", "register": "swe"}, "Social Work England format"),
        ({"registration_number": "12345A", "register": "sssc"}, "SSSC format"),
        ({"registration_number": "REG-1"}, "any register cpl knows"),
    ],
)
async def test_a_number_not_in_its_registers_format_is_refused_and_nothing_changes(client, given, says):
    t, made, response = await _verify(client, **given)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    [error] = response.json()["errors"]
    assert error["field"] == "registration_number" and says in error["message"]
    after = await review(client, t.supervisor, made["id"])
    assert after["state"] == "submitted" and after["verifications"] == []


async def test_an_unknown_register_is_refused_naming_the_field(client):
    _, _, response = await _verify(client, registration_number="12A3456E", register="gmc")
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["register"]


@pytest.mark.parametrize(
    ("pin", "status", "stored"),
    [("98Y1234E", 201, "98Y1234E"), ("98y1234e", 201, "98Y1234E"), (" 98Y1234E ", 201, "98Y1234E"), ("", 201, "")],
)
async def test_a_peers_pin_follows_the_case_rule_the_schema_states(client, pin, status, stored):
    t, _ = await submitted(client)
    path = f"/v1/evidence/{t.entry['id']}/peer-discussion"
    response = await client.put(path, json={"name": "Pat Peer", "pin": pin}, headers=t.worker)
    assert response.status_code == status, response.text
    assert response.json()["pin"] == stored


@pytest.mark.parametrize("pin", ["ABCDEFGH", "98Y1234", "98Y12345E", "98-1234E", "9 8Y1234E"])
async def test_a_peers_pin_not_in_nmc_format_is_refused(client, pin):
    t, _ = await submitted(client)
    path = f"/v1/evidence/{t.entry['id']}/peer-discussion"
    response = await client.put(path, json={"name": "Pat Peer", "pin": pin}, headers=t.worker)
    assert response.status_code == 422, response.text
    assert [error["field"] for error in response.json()["errors"]] == ["pin"]
    assert (await client.get(path, headers=t.worker)).status_code == 404


async def test_the_schema_states_the_case_rules(client):
    document = (await client.get("/schema/openapi.json")).json()
    schemas = document["components"]["schemas"]
    pin = next(schema["properties"]["pin"] for name, schema in schemas.items() if name.startswith("PeerDiscussionIn"))
    assert "either case" in pin["description"] and "[A-Za-z]" in pin["pattern"]
    number = next(
        schema["properties"]["registration_number"]
        for name, schema in schemas.items()
        if name.startswith("VerificationIn")
    )
    assert "upper-cased" in number["description"] and "never checked with the register" in number["description"]
