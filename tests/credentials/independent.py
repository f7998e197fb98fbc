"""What the independent-verifier tests share: a verified record made through the API, and
short re-implementations of the standards, written from the specifications, not from cpl.

- :func:`jcs`: RFC 8785 JSON Canonicalization Scheme for the values credentials hold (strings,
  integers, booleans, null, arrays, objects; members sorted by their UTF-16 code units, §3.2.3).
- :func:`multikey_to_raw`: a Multikey ``publicKeyMultibase`` (W3C Controller Documents §2.2.2):
  ``z`` + base58btc of the multicodec ``ed25519-pub`` prefix 0xed 0x01 and the 32 key bytes.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from httpx import AsyncClient

from tests.competences.helpers import items_by_code
from tests.exports.helpers import attach
from tests.organisations.helpers import Team, share, team
from tests.requirements.helpers import link

BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
VERIFY = {
    "statement": "I watched Wren apply it on the ward.",
    "role": "Ward manager",
    "registration_number": "12A3456E",
}


def jcs(value: Any) -> str:
    """RFC 8785 for JSON without fractional numbers (credentials carry none; refused if they do)."""
    if isinstance(value, dict):
        members = sorted(value.items(), key=lambda item: item[0].encode("utf-16-be"))
        return "{" + ",".join(f"{json.dumps(key, ensure_ascii=False)}:{jcs(item)}" for key, item in members) + "}"
    if isinstance(value, list):
        return "[" + ",".join(jcs(item) for item in value) + "]"
    if isinstance(value, float):
        raise ValueError("this test's JCS handles integers only")
    return json.dumps(value, ensure_ascii=False)


def base58btc_decode(text: str) -> bytes:
    number = 0
    for character in text:
        number = number * 58 + BASE58_ALPHABET.index(character)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    zeros = len(text) - len(text.lstrip("1"))
    return b"\x00" * zeros + body


def multikey_to_raw(multibase: str) -> bytes:
    assert multibase.startswith("z")
    decoded = base58btc_decode(multibase[1:])
    assert decoded[:2] == b"\xed\x01" and len(decoded) == 34
    return decoded[2:]


def method_in_did_document(document: dict[str, Any], method_id: str) -> dict[str, Any]:
    """DID Core §7.2: dereference a DID URL whose fragment names a verification method."""
    did, _, fragment = method_id.partition("#")
    assert did == document["id"] and fragment
    [method] = [method for method in document["verificationMethod"] if method["id"] == method_id]
    return method


def ids_in(document: Any, path: str = "$") -> list[tuple[str, str]]:
    """Every ``id`` member anywhere in the document, with where it is."""
    found = []
    if isinstance(document, dict):
        for key, value in document.items():
            if key == "id":
                found.append((path, value))
            found.extend(ids_in(value, f"{path}.{key}"))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found.extend(ids_in(value, f"{path}[{index}]"))
    return found


def path_of(url: str, base_url: str) -> str:
    """The path of a URL on this service (the test client speaks to it at its own address)."""
    assert url.startswith(base_url.rstrip("/") + "/"), url
    return urlsplit(url).path


async def verified_record(client: AsyncClient) -> tuple[Team, dict[str, Any]]:
    """A worker's entry mapped to two NMC Code items, with a file, verified by their supervisor."""
    t = await team(client)
    items = await items_by_code(client, t.worker, "The NMC Code")
    codes = sorted(code for code in items if code.startswith("NMC.") and code[4:].isdigit())[:2]
    await link(client, t.worker, t.entry["id"], *(items[code]["id"] for code in codes))
    file = await attach(client, t.worker, t.entry["id"], b"certificate of attendance\n", "certificate.txt")
    await share(client, t.worker, t.organisation_id, supervisor_id=t.supervisor_id, entry_ids=[t.entry["id"]])
    review = await client.post(
        "/v1/reviews",
        json={"entry_id": t.entry["id"], "reviewer_id": t.supervisor_id, "organisation_id": t.organisation_id},
        headers=t.worker,
    )
    assert review.status_code == 201, review.text
    verified = await client.post(f"/v1/reviews/{review.json()['id']}/verify", json=VERIFY, headers=t.supervisor)
    assert verified.status_code == 200, verified.text
    return t, {"codes": codes, "file": file}
