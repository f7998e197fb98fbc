"""Compact JWS with EdDSA: what verifies, and every way a token is refused."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cpl.errors import SignatureInvalid
from cpl.signing import Signer, sign_jws, verify_jws
from cpl.signing.keys import jwk_thumbprint, public_jwk


def _signer(key: Ed25519PrivateKey | None = None) -> Signer:
    key = key or Ed25519PrivateKey.generate()
    kid = jwk_thumbprint(key.public_key())
    return Signer(
        kid=kid,
        verification_method=f"did:web:cpl.example#{kid}",
        public_jwk=public_jwk(key.public_key(), f"did:web:cpl.example#{kid}"),
        private_key=key,
    )


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_a_token_verifies_against_the_published_key_and_names_it_by_did_url():
    signer = _signer()
    token = sign_jws(signer, b'{"hello":"world"}', "vc+jwt")
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert header == {"alg": "EdDSA", "kid": signer.verification_method, "typ": "vc+jwt"}
    assert verify_jws(token, {"keys": [signer.public_jwk]}) == b'{"hello":"world"}'


def test_the_private_key_is_not_in_the_public_jwk_or_the_signer_repr():
    signer = _signer()
    assert set(signer.public_jwk) == {"kty", "crv", "x", "kid", "alg", "use"}
    assert "private_key" not in repr(signer)


@pytest.mark.parametrize("part", [0, 1, 2])
def test_changing_any_part_of_a_token_breaks_it(part):
    signer = _signer()
    token = sign_jws(signer, b'{"hours":35}', "JWT")
    pieces = token.split(".")
    tampered = pieces[part][:-2] + ("A" if pieces[part][-2] != "A" else "B") + pieces[part][-1]
    pieces[part] = tampered
    with pytest.raises(SignatureInvalid):
        verify_jws(".".join(pieces), {"keys": [signer.public_jwk]})


def test_another_payload_under_the_same_signature_is_refused():
    signer = _signer()
    header, _, signature = sign_jws(signer, b'{"hours":35}', "JWT").split(".")
    forged = ".".join([header, base64.urlsafe_b64encode(b'{"hours":350}').rstrip(b"=").decode(), signature])
    with pytest.raises(SignatureInvalid, match="does not match"):
        verify_jws(forged, {"keys": [signer.public_jwk]})


def test_a_key_the_issuer_does_not_publish_is_refused():
    token = sign_jws(_signer(), b"{}", "JWT")
    with pytest.raises(SignatureInvalid, match="publishes no key"):
        verify_jws(token, {"keys": [_signer().public_jwk]})


@pytest.mark.parametrize(
    "header",
    [
        {"alg": "none", "kid": "x"},
        {"alg": "HS256", "kid": "x"},
        {"alg": "EdDSA", "kid": "x", "crit": ["exp"]},
        {"alg": "EdDSA"},
    ],
)
def test_other_algorithms_extensions_and_missing_kids_are_refused(header):
    signer = _signer()
    header = {**header, "kid": signer.kid} if "kid" in header else header
    _, payload, signature = sign_jws(signer, b"{}", "JWT").split(".")
    with pytest.raises(SignatureInvalid):
        verify_jws(".".join([_b64(header), payload, signature]), {"keys": [signer.public_jwk]})


@pytest.mark.parametrize("token", ["", "a.b", "a.b.c.d", "e30.e30.!!!", "e30=.e30.e30", "bm90IGpzb24.e30.e30"])
def test_malformed_tokens_are_refused(token):
    with pytest.raises(SignatureInvalid):
        verify_jws(token, {"keys": []})


def test_a_published_key_that_is_not_ed25519_is_refused():
    signer = _signer()
    token = sign_jws(signer, b"{}", "JWT")
    with pytest.raises(SignatureInvalid, match="not an Ed25519 key"):
        verify_jws(token, {"keys": [{**signer.public_jwk, "crv": "X25519"}]})
