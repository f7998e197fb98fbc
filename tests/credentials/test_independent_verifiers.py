"""cpl's credentials checked by implementations cpl did not write (issue 17).

- Shape: the 1EdTech Open Badges 3.0 AchievementCredential JSON Schema (``tests/standards``), run
  by ``jsonschema``. (1EdTech's CLR 2.0 ClrCredential schema could not be obtained here; the CLR
  is checked for the VC 2.0 rules instead.)
- VC-JWT: decoded and verified with ``joserfc`` (cpl signs with its own code on ``cryptography``),
  the key found by the header's ``kid`` in the served JWKS, and again in the served DID document.
- Data Integrity: the ``eddsa-jcs-2022`` proof recomputed from the W3C specification (§3.3: JCS of
  the proof configuration and of the document, SHA-256 of each, Ed25519), with the JCS and the
  Multikey decoding written in the test.
- Alignments: every ``targetUrl`` fetched without a token and found in the CASE package.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from joserfc import jwt
from joserfc.errors import BadSignatureError
from joserfc.jwk import KeySet, OKPKey
from jsonschema import Draft201909Validator

from cpl.settings import Settings
from tests.credentials.independent import (
    base58btc_decode,
    ids_in,
    jcs,
    method_in_did_document,
    multikey_to_raw,
    path_of,
    verified_record,
)
from tests.exports.helpers import EXPORT_SETTINGS, wait_for
from tests.factories import sign_up

STANDARDS = Path(__file__).resolve().parents[1] / "standards" / "openbadges-3.0"
BASE = EXPORT_SETTINGS["public_base_url"]
#: RFC 3986 §3.1: a URI starts with a scheme and a colon; it holds no white space.
URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
#: joserfc warns that RFC 9864 names EdDSA-over-Ed25519 "Ed25519"; OB 3.0 and VC verifiers still use EdDSA.
EDDSA_STILL_USED = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")


@pytest.fixture
def settings(make_settings) -> Settings:
    return make_settings(**EXPORT_SETTINGS)


async def _credential_export(client, headers, form: str) -> tuple[dict, bytes]:
    started = await client.post(
        "/v1/exports", json={"format": "credential", "options": {"credential_form": form}}, headers=headers
    )
    assert started.status_code == 202, started.text
    done = await wait_for(client, headers, started.json()["id"])
    assert done["status"] == "done" and done["options"]["credential_form"] == form, done
    response = await client.get(done["download_url"], headers=headers)
    assert response.status_code == 200
    return done, response.content


async def _published(client) -> tuple[dict, dict]:
    jwks, did = await client.get("/.well-known/jwks.json"), await client.get("/.well-known/did.json")
    assert jwks.status_code == did.status_code == 200
    return jwks.json(), did.json()


async def test_the_credentials_meet_the_open_badges_3_schema_and_every_id_is_a_uri(client):
    t, made = await verified_record(client)
    _, data = await _credential_export(client, t.worker, "json")
    clr = json.loads(data)
    [badge] = clr["credentialSubject"]["verifiableCredential"]
    validator = Draft201909Validator(json.loads((STANDARDS / "achievementcredential.schema.json").read_text()))
    errors = sorted(validator.iter_errors(badge), key=str)
    assert not errors, errors[0].message
    not_uris = [(where, value) for where, value in ids_in(clr) if not URI.match(value)]
    assert not_uris == []
    [evidence] = badge["evidence"]
    assert evidence["id"] == f"{BASE}/v1/attachments/{made['file']['id']}/content"


async def test_the_attachment_url_answers_only_to_whoever_may_see_the_file(client):
    t, made = await verified_record(client)
    _, data = await _credential_export(client, t.worker, "json")
    [evidence] = json.loads(data)["credentialSubject"]["verifiableCredential"][0]["evidence"]
    path = path_of(evidence["id"], BASE)
    owner = await client.get(path, headers=t.worker)
    assert owner.status_code == 200 and owner.content == b"certificate of attendance\n"
    assert (await client.get(path)).status_code == 401
    assert (await client.get(path, headers=await sign_up(client))).status_code == 404
    digest = base64.b64encode(hashlib.sha256(owner.content).digest()).decode()
    assert evidence["digestSRI"] == f"sha256-{digest}"


@EDDSA_STILL_USED
async def test_the_vc_jwt_verifies_with_joserfc_by_kid_from_the_jwks_and_from_the_did_document(client):
    t, _ = await verified_record(client)
    done, token = await _credential_export(client, t.worker, "jwt")
    _, json_form = await _credential_export(client, t.worker, "json")
    jwks, did_document = await _published(client)

    decoded = jwt.decode(token, KeySet.import_key_set(jwks), algorithms=["EdDSA"])
    assert decoded.header == {"alg": "EdDSA", "kid": decoded.header["kid"], "typ": "JWT"}
    method = method_in_did_document(did_document, decoded.header["kid"])
    raw = multikey_to_raw(method["publicKeyMultibase"])
    did_key = OKPKey.import_key(
        {"kty": "OKP", "crv": "Ed25519", "x": base64.urlsafe_b64encode(raw).decode().rstrip("=")}
    )
    assert jwt.decode(token, did_key, algorithms=["EdDSA"]).claims == decoded.claims

    claims = decoded.claims
    assert claims["iss"] == claims["issuer"]["id"] == did_document["id"]
    assert claims["nbf"] == int(datetime.fromisoformat(claims["validFrom"]).timestamp())
    assert claims["jti"] == claims["id"] and claims["sub"] == claims["credentialSubject"]["id"]
    assert "exp" not in claims and "validUntil" not in claims
    assert claims["proof"][0]["cryptosuite"] == "eddsa-jcs-2022"  # embedded before the payload was built
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": did_document["id"]}, sub={"essential": True}, jti={"essential": True}
    ).validate(claims)
    # The worker is named by the same identifier that reveals nothing, in every export.
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", claims["sub"])
    assert json.loads(json_form)["credentialSubject"]["id"] == claims["sub"]
    assert "Wren" not in claims["sub"] and "@" not in claims["sub"]

    header, payload, signature = token.decode().split(".")
    altered = json.loads(base64.urlsafe_b64decode(payload + "==="))
    altered["sub"] = "urn:uuid:00000000-0000-4000-8000-000000000000"
    forged = base64.urlsafe_b64encode(json.dumps(altered).encode()).rstrip(b"=").decode()
    with pytest.raises(BadSignatureError):
        jwt.decode(f"{header}.{forged}.{signature}", KeySet.import_key_set(jwks), algorithms=["EdDSA"])
    assert done["size"] == len(token)


def _check_eddsa_jcs_2022(document: dict, did_document: dict) -> None:
    """W3C vc-di-eddsa §3.3.2–3.3.6 (eddsa-jcs-2022 verify), from the specification."""
    unsecured = {name: value for name, value in document.items() if name != "proof"}
    [proof] = document["proof"]
    assert proof["type"] == "DataIntegrityProof" and proof["cryptosuite"] == "eddsa-jcs-2022"
    config = {name: value for name, value in proof.items() if name != "proofValue"}
    assert config["@context"] == unsecured["@context"]
    hash_data = hashlib.sha256(jcs(config).encode()).digest() + hashlib.sha256(jcs(unsecured).encode()).digest()
    method = method_in_did_document(did_document, proof["verificationMethod"])
    key = Ed25519PublicKey.from_public_bytes(multikey_to_raw(method["publicKeyMultibase"]))
    assert proof["proofValue"].startswith("z")
    key.verify(base58btc_decode(proof["proofValue"][1:]), hash_data)


async def test_the_data_integrity_proofs_recompute_from_the_eddsa_jcs_2022_spec(client):
    t, _ = await verified_record(client)
    _, data = await _credential_export(client, t.worker, "json")
    clr = json.loads(data)
    _, did_document = await _published(client)
    _check_eddsa_jcs_2022(clr, did_document)
    [badge] = clr["credentialSubject"]["verifiableCredential"]
    _check_eddsa_jcs_2022(badge, did_document)
    badge["credentialSubject"]["achievement"]["name"] += "."
    with pytest.raises(InvalidSignature):
        _check_eddsa_jcs_2022(badge, did_document)


async def test_every_alignment_target_url_answers_without_a_token_and_is_in_the_case_package(client):
    t, made = await verified_record(client)
    _, data = await _credential_export(client, t.worker, "json")
    [achievement] = json.loads(data)["credentialSubject"]["achievement"]
    assert sorted(alignment["targetCode"] for alignment in achievement["alignment"]) == made["codes"]
    for alignment in achievement["alignment"]:
        assert alignment["targetType"] == "CFItem"
        item = await client.get(path_of(alignment["targetUrl"], BASE))  # no token
        assert item.status_code == 200 and item.headers["access-control-allow-origin"] == "*"
        served = item.json()
        assert served["uri"] == alignment["targetUrl"] and served["humanCodingScheme"] == alignment["targetCode"]
        document = await client.get(path_of(served["CFDocumentURI"]["uri"], BASE))
        assert document.status_code == 200 and document.json()["title"] == alignment["targetFramework"]
        package = await client.get(f"/ims/case/v1p0/CFPackages/{document.json()['identifier']}")
        assert package.status_code == 200
        assert served in package.json()["CFItems"]
        association = next(a for a in package.json()["CFAssociations"] if a["originNodeURI"]["uri"] == served["uri"])
        fetched = await client.get(path_of(association["uri"], BASE))
        assert fetched.status_code == 200 and fetched.json() == association
