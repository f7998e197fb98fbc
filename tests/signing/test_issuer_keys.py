"""The issuer key: created at first start or supplied, published (JWKS, did:web), rotated by operators."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import base58
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from cpl.settings import Settings
from cpl.signing import active_signer, ensure_issuer_key, issuer_did
from cpl.signing.keys import b64url_decode, jwk_thumbprint, private_key_pem
from cpl.signing.tables import IssuerKey
from tests.competences.helpers import operator
from tests.factories import sign_up

CPL = str(Path(sys.executable).parent / "cpl")


async def _jwks(client) -> list[dict]:
    response = await client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    return response.json()["keys"]


def _public_key(jwk: dict) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(b64url_decode(jwk["x"]))


def _method(key: Ed25519PrivateKey) -> str:
    """The DID URL a key is published under with the test settings' address."""
    return f"did:web:localhost%3A8000#{jwk_thumbprint(key.public_key())}"


@pytest.mark.parametrize(
    ("url", "did"),
    [
        ("http://localhost:8000", "did:web:localhost%3A8000"),
        ("https://CPL.example.org", "did:web:cpl.example.org"),
        ("https://cpl.example.org:8443/teams/north/", "did:web:cpl.example.org%3A8443:teams:north"),
    ],
)
def test_the_did_is_did_web_of_the_public_address(url, did):
    assert issuer_did(Settings(public_base_url=url)) == did


async def test_first_start_creates_one_key_published_without_its_private_half(client):
    keys = await _jwks(client)
    assert len(keys) == 1
    assert set(keys[0]) == {"kty", "crv", "x", "kid", "alg", "use"}
    assert keys[0]["kty"] == "OKP" and keys[0]["crv"] == "Ed25519" and keys[0]["alg"] == "EdDSA"


async def test_the_did_document_lists_the_key_as_a_multikey_for_assertions(client_for, make_settings):
    settings = make_settings(public_base_url="https://cpl.example.org")
    client = await client_for(settings)
    [jwk] = await _jwks(client)
    document = (await client.get("/.well-known/did.json")).json()
    assert document["id"] == "did:web:cpl.example.org"
    [method] = document["verificationMethod"]
    assert method["id"] == jwk["kid"] == f"did:web:cpl.example.org#{jwk_thumbprint(_public_key(jwk))}"
    assert method["type"] == "Multikey" and method["controller"] == document["id"]
    assert method["publicKeyMultibase"].startswith("z6Mk")
    assert base58.b58decode(method["publicKeyMultibase"][1:]) == b"\xed\x01" + b64url_decode(jwk["x"])
    assert document["assertionMethod"] == [method["id"]]


@pytest.mark.parametrize(
    ("path", "media_type"),
    [("/.well-known/did.json", "application/did+ld+json"), ("/.well-known/jwks.json", "application/json")],
)
async def test_the_well_known_documents_have_their_media_type_and_answer_head(client, path, media_type):
    """DID Core §6.3.1 (a DID document with @context is application/did+ld+json); HEAD as RFC 9110 §9.3.2."""
    got = await client.get(path)
    assert got.status_code == 200 and got.headers["content-type"] == media_type
    head = await client.head(path)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == media_type
    assert head.headers["content-length"] == got.headers["content-length"] == str(len(got.content))


async def test_an_operator_rotates_and_the_retired_key_stays_published(client, settings):
    before = await _jwks(client)
    response = await client.post("/v1/admin/issuer-keys", headers=await operator(client, settings))
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"kid", "verification_method", "public_jwk"} and "d" not in body["public_jwk"]
    assert body["verification_method"] != before[0]["kid"]
    assert body["verification_method"] == f"did:web:localhost%3A8000#{body['kid']}" == body["public_jwk"]["kid"]
    assert [key["kid"] for key in await _jwks(client)] == [before[0]["kid"], body["verification_method"]]
    assert len((await client.get("/.well-known/did.json")).json()["assertionMethod"]) == 2
    assert (await active_signer(settings)).kid == body["kid"]


async def test_a_worker_cannot_rotate_and_nothing_changes(client, settings):
    before = await _jwks(client)
    response = await client.post("/v1/admin/issuer-keys", headers=await sign_up(client))
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")
    assert await _jwks(client) == before


async def test_a_key_supplied_by_settings_is_used_and_published(client_for, make_settings, tmp_path):
    key = Ed25519PrivateKey.generate()
    path = tmp_path / "issuer.pem"
    path.write_text(private_key_pem(key))
    settings = make_settings(issuer_key_file=path)
    client = await client_for(settings)
    assert [jwk["kid"] for jwk in await _jwks(client)] == [_method(key)]
    signer = await active_signer(settings)
    assert signer.kid == jwk_thumbprint(key.public_key())
    assert signer.sign(b"x") == key.sign(b"x")
    assert await IssuerKey.select(IssuerKey.private_key).output(as_list=True) == [""]  # the key stays in settings


async def test_a_supplied_key_cannot_be_rotated_here(client_for, make_settings):
    settings = make_settings(issuer_key_pem=private_key_pem(Ed25519PrivateKey.generate()))
    client = await client_for(settings)
    before = await _jwks(client)
    response = await client.post("/v1/admin/issuer-keys", headers=await operator(client, settings))
    assert response.status_code == 409 and "CPL_ISSUER_KEY_PEM" in response.json()["detail"]
    assert await _jwks(client) == before


async def test_switching_to_a_supplied_key_retires_the_generated_one(client, settings, make_settings):
    [generated] = await _jwks(client)
    key = Ed25519PrivateKey.generate()
    supplied = settings.model_copy(
        update={"issuer_key_pem": make_settings(issuer_key_pem=private_key_pem(key)).issuer_key_pem}
    )
    assert (await active_signer(supplied)).kid == jwk_thumbprint(key.public_key())
    assert [jwk["kid"] for jwk in await _jwks(client)] == [generated["kid"], _method(key)]
    await ensure_issuer_key(settings)  # the setting removed again: a new key is generated, the others stay
    assert len(await _jwks(client)) == 3
    assert (await active_signer(settings)).verification_method not in {generated["kid"], _method(key)}


async def test_processes_starting_together_install_a_single_key(client, settings):
    await IssuerKey.delete(force=True)
    await asyncio.gather(*(ensure_issuer_key(settings) for _ in range(6)))
    rows = await IssuerKey.select(IssuerKey.kid, IssuerKey.current)
    assert len(rows) == 1 and rows[0]["current"] is True


async def test_a_settings_key_that_is_not_ed25519_fails_start_up(client, make_settings):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    pem = (
        ec.generate_private_key(ec.SECP256R1())
        .private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        .decode()
    )
    before = await _jwks(client)
    with pytest.raises(ValueError, match="Ed25519"):
        await ensure_issuer_key(make_settings(issuer_key_pem=pem))
    assert await _jwks(client) == before


async def _cpl(settings: Settings, *args: str, **extra_env: str) -> tuple[int, str, str]:
    environment = {name: value for name, value in os.environ.items() if not name.startswith("CPL_")}
    environment.update(
        CPL_DATABASE_URL=settings.resolved_database_url, CPL_DATA_DIR=str(settings.data_dir), **extra_env
    )
    process = await asyncio.create_subprocess_exec(
        CPL, *args, env=environment, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await process.communicate()
    return process.returncode, out.decode(), err.decode()


async def test_the_operator_rotates_from_the_command_line(client, settings):
    [first] = await _jwks(client)
    code, out, err = await _cpl(settings, "keys", "rotate")
    assert code == 0, err
    keys = await _jwks(client)
    assert [key["kid"] for key in keys][0] == first["kid"] and len(keys) == 2
    assert out.startswith(f"Signing with {keys[1]['kid']}")
    pem = private_key_pem(Ed25519PrivateKey.generate())
    code, _, err = await _cpl(settings, "keys", "rotate", CPL_ISSUER_KEY_PEM=pem)
    assert code == 1 and "Not rotated" in err
    assert len(await _jwks(client)) == 2
