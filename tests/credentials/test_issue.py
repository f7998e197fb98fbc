"""Issuing a CLR for a portable record: shape (1EdTech schemas), signatures, tampering, rotation."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from jsonschema import Draft201909Validator

from cpl.credentials import issue_clr, verify_credential
from cpl.credentials.proofs import add_proof
from cpl.credentials.service import jwt_claims
from cpl.signing import active_signer, sign_jws
from tests.competences.helpers import operator
from tests.credentials.records import ATTACHMENT_BYTES, ITEM_ID, SUBJECT, entry, portable_record

SCHEMA = Path(__file__).resolve().parents[1] / "standards" / "openbadges-3.0" / "achievementcredential.schema.json"


@pytest.fixture(scope="module")
def achievement_schema() -> Draft201909Validator:
    return Draft201909Validator(json.loads(SCHEMA.read_text()))


async def _jwks(client) -> dict:
    return (await client.get("/.well-known/jwks.json")).json()


async def test_each_verified_entry_gets_an_open_badge_that_meets_the_1edtech_schema(
    client, settings, achievement_schema
):
    record = portable_record()
    issued = await issue_clr(record, settings, SUBJECT)
    assert len(issued["credentials"]) == 2  # the unverified entry gets none
    assert issued["clr"]["credentialSubject"]["verifiableCredential"] == issued["credentials"]
    for credential in issued["credentials"]:
        errors = sorted(achievement_schema.iter_errors(credential), key=str)
        assert not errors, errors[0].message
    assert list(achievement_schema.iter_errors({**issued["credentials"][0], "type": ["VerifiableCredential"]}))


async def test_the_badge_says_what_was_learned_who_verified_it_and_which_competence(client, settings):
    record = portable_record()
    credential = (await issue_clr(record, settings, SUBJECT))["credentials"][0]
    source = record["entries"][0]
    achieved = credential["credentialSubject"]["achievement"]
    assert credential["issuer"]["id"] == "did:web:localhost%3A8000" and credential["issuer"]["type"] == ["Profile"]
    assert credential["credentialSubject"]["type"] == ["AchievementSubject"]
    assert achieved["name"] == source["title"] and achieved["id"] == f"urn:uuid:{source['id']}"
    assert (
        "Morag Reid (Team leader; Highland Care, self-declared organisation; registration SSSC 123456 "
        "(as given, not checked with the register)) on 2025-03-04" in achieved["criteria"]["narrative"]
    )
    assert achieved["alignment"] == [
        {
            "type": ["Alignment"],
            "targetName": "Protection",
            "targetUrl": f"https://cpl.example/case/{ITEM_ID}",
            "targetCode": "P1",
            "targetType": "CFItem",
            "targetFramework": "SSSC core learning elements",
        }
    ]
    assert credential["validFrom"] == record["export"]["created_at"]


async def test_attachments_are_evidence_whose_digest_checks_against_the_file(client, settings):
    record = portable_record()
    [evidence] = (await issue_clr(record, settings, SUBJECT))["credentials"][0]["evidence"]
    attachment = record["entries"][0]["attachments"][0]
    assert evidence["id"] == f"http://localhost:8000/v1/attachments/{attachment['id']}/content"
    assert f"attachments/{attachment['id']}/certificate%20of%20attendance.pdf" in evidence["description"]
    assert evidence["name"] == "certificate of attendance.pdf"
    sri = "sha256-" + base64.b64encode(hashlib.sha256(ATTACHMENT_BYTES).digest()).decode()
    assert evidence["digestSRI"] == sri
    assert hashlib.sha256(ATTACHMENT_BYTES).hexdigest() in evidence["description"]


async def test_the_worker_is_identified_by_a_salted_hash_of_their_email(client, settings):
    record = portable_record()
    [identity] = (await issue_clr(record, settings, SUBJECT))["clr"]["credentialSubject"]["identifier"]
    assert "ailsa@example.org" not in json.dumps(identity)
    digest = hashlib.sha256(("ailsa@example.org" + identity["salt"]).encode()).hexdigest()
    assert identity["identityHash"] == f"sha256${digest}" and identity["identityType"] == "emailAddress"


async def test_the_clr_gathers_every_entry_and_relates_those_on_the_same_competence(client, settings):
    record = portable_record()
    clr = (await issue_clr(record, settings, SUBJECT))["clr"]
    subject = clr["credentialSubject"]
    assert clr["type"] == ["VerifiableCredential", "ClrCredential"]
    assert clr["@context"][:2] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
    ]
    assert subject["type"] == ["ClrSubject"]
    assert [a["id"] for a in subject["achievement"]] == [f"urn:uuid:{e['id']}" for e in record["entries"]]
    first, *others = [f"urn:uuid:{e['id']}" for e in record["entries"]]
    assert subject["association"] == [
        {"type": "Association", "associationType": "isRelatedTo", "sourceId": other, "targetId": first}
        for other in others
    ]


async def test_everything_issued_verifies_against_the_published_keys(client, settings):
    issued = await issue_clr(portable_record(), settings, SUBJECT)
    jwks, signer = await _jwks(client), await active_signer(settings)
    for document in [issued["clr"], issued["clr_jwt"], *issued["credentials"]]:
        result = verify_credential(document, jwks)
        assert result.valid, result.reasons
        assert result.kid == signer.kid and result.issuer == "did:web:localhost%3A8000"
    header = json.loads(base64.urlsafe_b64decode(issued["clr_jwt"].split(".")[0] + "=="))
    assert header == {"alg": "EdDSA", "kid": signer.verification_method, "typ": "JWT"}
    payload = json.loads(base64.urlsafe_b64decode(issued["clr_jwt"].split(".")[1] + "==="))
    assert payload["iss"] == issued["clr"]["issuer"]["id"] and payload["jti"] == issued["clr"]["id"]
    assert payload["sub"] == SUBJECT == issued["clr"]["credentialSubject"]["id"]
    assert payload["nbf"] == int(datetime.fromisoformat(issued["clr"]["validFrom"]).timestamp())
    # OB 3.0 §8.2.3: the embedded proof is added before the payload is built, so it is in it.
    assert {k: v for k, v in payload.items() if k not in ("iss", "jti", "nbf", "sub")} == issued["clr"]


async def test_changing_a_nested_badge_breaks_it_and_the_clr(client, settings):
    issued = await issue_clr(portable_record(), settings, SUBJECT)
    jwks = await _jwks(client)
    clr = copy.deepcopy(issued["clr"])
    clr["credentialSubject"]["verifiableCredential"][1]["credentialSubject"]["achievement"]["name"] += "!"
    result = verify_credential(clr, jwks)
    assert not result.valid
    assert "does not match" in result.reasons[0]
    badge = copy.deepcopy(issued["credentials"][0])
    badge["evidence"][0]["digestSRI"] = badge["evidence"][0]["digestSRI"].replace("sha256-", "sha256-A", 1)
    assert not verify_credential(badge, jwks).valid


async def test_a_changed_byte_in_the_jwt_is_refused(client, settings):
    token = (await issue_clr(portable_record(), settings, SUBJECT))["clr_jwt"]
    header, payload, signature = token.split(".")
    altered = json.loads(base64.urlsafe_b64decode(payload + "==="))
    altered["name"] = altered["name"].replace("Ailsa", "Alisa")
    forged = base64.urlsafe_b64encode(json.dumps(altered).encode()).rstrip(b"=").decode()
    result = verify_credential(f"{header}.{forged}.{signature}", await _jwks(client))
    assert not result.valid and result.kid is None


async def test_a_nested_credential_that_does_not_verify_makes_the_clr_invalid(client, settings):
    """Re-signing the CLR after changing a badge inside it must not launder the change."""
    issued = await issue_clr(portable_record(), settings, SUBJECT)
    clr = copy.deepcopy(issued["clr"])
    clr["credentialSubject"]["verifiableCredential"][0]["name"] = "Something else"
    resigned = add_proof(clr, await active_signer(settings), "2025-03-05T09:00:00Z")
    result = verify_credential(resigned, await _jwks(client))
    assert not result.valid
    assert result.reasons[0].startswith("verifiableCredential[0]: ")


async def test_a_credential_signed_for_another_issuer_is_refused(client, settings):
    signer = await active_signer(settings)
    credential = copy.deepcopy((await issue_clr(portable_record(), settings, SUBJECT))["credentials"][0])
    credential["issuer"]["id"] = "did:web:someone.else"
    result = verify_credential(add_proof(credential, signer, "2025-03-05T09:00:00Z"), await _jwks(client))
    assert not result.valid and "not a key of the issuer did:web:someone.else" in result.reasons[0]


async def test_an_expired_credential_is_refused(client, settings):
    credential = copy.deepcopy((await issue_clr(portable_record(), settings, SUBJECT))["credentials"][0])
    credential["validUntil"] = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    signed = add_proof(credential, await active_signer(settings), "2025-03-05T09:00:00Z")
    result = verify_credential(signed, await _jwks(client))
    assert not result.valid and "validity period" in result.reasons[0]


async def test_credentials_signed_before_a_rotation_still_verify(client, settings):
    before = await issue_clr(portable_record(), settings, SUBJECT)
    old_kid = (await active_signer(settings)).kid
    response = await client.post("/v1/admin/issuer-keys", headers=await operator(client, settings))
    assert response.status_code == 201
    after = await issue_clr(portable_record(), settings, SUBJECT)
    jwks = await _jwks(client)
    old, new = verify_credential(before["clr"], jwks), verify_credential(after["clr"], jwks)
    assert old.valid and new.valid and verify_credential(before["clr_jwt"], jwks).valid
    assert old.kid == old_kid and new.kid == response.json()["kid"] != old_kid
    assert not verify_credential(
        before["clr"], {"keys": [k for k in jwks["keys"] if not k["kid"].endswith(f"#{old_kid}")]}
    ).valid


async def test_a_record_with_no_verified_entries_gives_a_clr_without_badges(client, settings):
    issued = await issue_clr(portable_record([entry(verified=False)]), settings, SUBJECT)
    assert issued["credentials"] == [] and issued["clr"]["credentialSubject"]["verifiableCredential"] == []
    assert verify_credential(issued["clr"], await _jwks(client)).valid


@pytest.mark.parametrize("document", [42, ["a"], "not a jwt", {"no": "proof"}])
def test_things_that_are_not_credentials_are_reported_invalid(document):
    result = verify_credential(document, {"keys": []})
    assert not result.valid and result.reasons


@pytest.mark.parametrize("claim", ["sub", "nbf", "jti"])
async def test_a_vc_jwt_whose_registered_claims_disagree_with_the_credential_is_refused(client, settings, claim):
    """OB 3.0 §8.2.4.2: sub, nbf and jti repeat the credential; a token signed otherwise is not accepted."""
    clr = (await issue_clr(portable_record(), settings, SUBJECT))["clr"]
    claims = {**jwt_claims(clr), claim: {"sub": "urn:uuid:someone-else", "nbf": 0, "jti": "urn:uuid:other"}[claim]}
    token = sign_jws(await active_signer(settings), json.dumps(claims).encode(), "JWT")
    result = verify_credential(token, await _jwks(client))
    assert not result.valid and result.reasons == [f"The VC-JWT's {claim} does not match the credential."]
