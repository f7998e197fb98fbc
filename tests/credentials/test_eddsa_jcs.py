"""eddsa-jcs-2022 against the W3C specification's own test vector (https://www.w3.org/TR/vc-di-eddsa/, §A.2)."""

from __future__ import annotations

import copy

import base58
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cpl.credentials.proofs import add_proof, verify_proof
from cpl.errors import SignatureInvalid
from cpl.signing import Signer
from cpl.signing.keys import b64url, public_key_multibase, raw_public_key

#: The specification's example key pair (multicodec ed25519-priv 0x1300 / ed25519-pub 0xed01).
SECRET_KEY_MULTIBASE = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
PUBLIC_KEY_MULTIBASE = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
METHOD = f"did:key:{PUBLIC_KEY_MULTIBASE}#{PUBLIC_KEY_MULTIBASE}"
CREDENTIAL = {
    "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "https://vc.example/issuers/5678",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
}
EXPECTED_PROOF_VALUE = "z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX"


def _spec_signer() -> Signer:
    secret = base58.b58decode(SECRET_KEY_MULTIBASE[1:])
    assert secret[:2] == b"\x80\x26"
    key = Ed25519PrivateKey.from_private_bytes(secret[2:])
    jwk = {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw_public_key(key.public_key())), "kid": PUBLIC_KEY_MULTIBASE}
    return Signer(kid=PUBLIC_KEY_MULTIBASE, verification_method=METHOD, public_jwk=jwk, private_key=key)


def test_the_specification_key_pair_round_trips():
    assert public_key_multibase(_spec_signer().private_key.public_key()) == PUBLIC_KEY_MULTIBASE


def test_the_proof_reproduces_the_specifications_proof_value_exactly():
    secured = add_proof(CREDENTIAL, _spec_signer(), "2023-02-24T23:36:38Z")
    assert secured["proof"] == [
        {
            "type": "DataIntegrityProof",
            "cryptosuite": "eddsa-jcs-2022",
            "created": "2023-02-24T23:36:38Z",
            "verificationMethod": METHOD,
            "proofPurpose": "assertionMethod",
            "@context": CREDENTIAL["@context"],
            "proofValue": EXPECTED_PROOF_VALUE,
        }
    ]
    assert {name: value for name, value in secured.items() if name != "proof"} == CREDENTIAL


def test_the_specifications_signed_credential_verifies_as_one_proof_or_a_set():
    """The specification writes ``proof`` as one object; cpl writes a one-proof set. Both verify."""
    signer = _spec_signer()
    [proof] = add_proof(CREDENTIAL, signer, "2023-02-24T23:36:38Z")["proof"]
    for secured in ({**CREDENTIAL, "proof": proof}, {**CREDENTIAL, "proof": [proof]}):
        assert [p["proofValue"] for p in verify_proof(secured, {"keys": [signer.public_jwk]})] == [EXPECTED_PROOF_VALUE]


def test_every_proof_of_a_set_must_verify_and_chains_are_refused():
    signer = _spec_signer()
    [proof] = add_proof(CREDENTIAL, signer, "2023-02-24T23:36:38Z")["proof"]
    broken = {**proof, "proofValue": proof["proofValue"][:-1] + "Y"}
    for proofs in ([proof, broken], [proof, {**proof, "previousProof": "urn:uuid:1"}], []):
        with pytest.raises(SignatureInvalid):
            verify_proof({**CREDENTIAL, "proof": proofs}, {"keys": [signer.public_jwk]})


@pytest.mark.parametrize(
    "tamper",
    [
        lambda doc: doc["credentialSubject"].update(alumniOf="The School of Examplez"),
        lambda doc: doc.update(validFrom="2023-01-01T00:00:01Z"),
        lambda doc: doc["proof"][0].update(created="2023-02-24T23:36:39Z"),
        lambda doc: doc["proof"][0].update(proofValue=doc["proof"][0]["proofValue"][:-1] + "Y"),
        lambda doc: doc["proof"][0].update(cryptosuite="eddsa-rdfc-2022"),
        lambda doc: doc["proof"][0].update(proofPurpose="authentication"),
        lambda doc: doc["proof"][0].update(verificationMethod="did:key:z6Mkother#z6Mkother"),
        lambda doc: doc.update({"@context": doc["@context"][::-1]}),
        lambda doc: doc.pop("proof"),
    ],
)
def test_any_change_to_the_document_or_its_proof_is_detected(tamper):
    signer = _spec_signer()
    secured = copy.deepcopy(add_proof(CREDENTIAL, signer, "2023-02-24T23:36:38Z"))
    tamper(secured)
    with pytest.raises(SignatureInvalid):
        verify_proof(secured, {"keys": [signer.public_jwk]})
