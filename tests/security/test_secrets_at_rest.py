"""The issuer's private key is sealed in the database, and data files are the service's alone (issue 14)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cpl.secret_key import SecretKeyUnusable
from cpl.signing import active_signer, ensure_issuer_key
from cpl.signing.keys import jwk_thumbprint, private_key_pem
from cpl.signing.tables import IssuerKey
from tests.attachments.helpers import upload
from tests.competences.helpers import operator
from tests.database_text import columns_holding
from tests.factories import put_entry, sign_up


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_the_private_key_is_not_stored_in_clear(client, settings):
    assert (await client.get("/.well-known/jwks.json")).status_code == 200
    assert await columns_holding(settings, "PRIVATE KEY") == []
    assert await columns_holding(settings, "cpl-sealed-v1:") == ["issuer_key.private_key", "vapid_key.private_key"]
    assert _mode(settings.data_dir / "secret.key") == 0o600


async def test_a_key_stored_in_clear_by_an_earlier_version_is_sealed_at_start_and_still_signs(client_for, settings):
    await client_for(settings)
    legacy = Ed25519PrivateKey.generate()
    kid = jwk_thumbprint(legacy.public_key())
    await IssuerKey.update({IssuerKey.current: None}).where(IssuerKey.current.eq(True))
    await IssuerKey.insert(
        IssuerKey(kid=kid, public_key="unused-here", private_key=private_key_pem(legacy), current=True)
    )
    assert await columns_holding(settings, "PRIVATE KEY") == ["issuer_key.private_key"]
    await ensure_issuer_key(settings)  # what every start does
    assert await columns_holding(settings, "PRIVATE KEY") == []
    assert (await active_signer(settings)).kid == kid


async def test_rotation_keeps_working_and_stores_the_new_key_sealed(client, settings):
    response = await client.post("/v1/admin/issuer-keys", headers=await operator(client, settings))
    assert response.status_code == 201, response.text
    assert (await active_signer(settings)).kid == response.json()["kid"]
    assert await columns_holding(settings, "PRIVATE KEY") == []


async def test_a_secret_key_file_is_used_and_another_one_cannot_open_the_keys(client_for, make_settings, tmp_path):
    secret = tmp_path / "cpl-secret"
    secret.write_bytes(b"s" * 48)
    settings = make_settings(secret_key_file=secret)
    await client_for(settings)
    assert not (tmp_path / "secret.key").exists()
    kid = (await active_signer(settings)).kid
    other = tmp_path / "other-secret"
    other.write_bytes(b"o" * 48)
    with pytest.raises(SecretKeyUnusable, match=kid):
        await ensure_issuer_key(settings.model_copy(update={"secret_key_file": other}))
    short = tmp_path / "short-secret"
    short.write_bytes(b"too short")
    with pytest.raises(SecretKeyUnusable, match="32 bytes"):
        await ensure_issuer_key(settings.model_copy(update={"secret_key_file": short}))
    blank = tmp_path / "blank-secret"
    blank.write_bytes(b" " * 40 + b"\n")
    with pytest.raises(SecretKeyUnusable, match="32 bytes"):
        await ensure_issuer_key(settings.model_copy(update={"secret_key_file": blank}))


async def test_thirty_two_random_bytes_that_begin_and_end_in_whitespace_are_a_secret_key(
    client_for, make_settings, tmp_path
):
    secret = tmp_path / "cpl-secret"
    secret.write_bytes(b" " + bytes(range(100, 130)) + b"\n")  # what /dev/urandom gives now and then
    settings = make_settings(secret_key_file=secret)
    client = await client_for(settings)
    assert (await client.get("/.well-known/jwks.json")).status_code == 200
    assert (await active_signer(settings)).kid


async def test_data_files_are_private(client, settings):
    headers = await sign_up(client)
    entry = await put_entry(client, headers)
    assert (await upload(client, headers, entry["id"], b"certificate\n", filename="c.txt")).status_code == 201
    assert _mode(settings.data_dir) == 0o700
    assert _mode(settings.data_dir / "secret.key") == 0o600
    storage = settings.data_dir / "attachments"
    files = [path for path in storage.rglob("*") if path.is_file()]
    assert files, "the upload stored nothing locally"
    assert {_mode(path) for path in files} == {0o600}
    assert {_mode(path) for path in [storage, *storage.rglob("*")] if path.is_dir()} == {0o700}
    if not settings.uses_postgres:
        database = Path(settings.resolved_database_url.removeprefix("sqlite://"))
        found = [database, *(database.with_name(database.name + suffix) for suffix in ("-wal", "-shm"))]
        assert {_mode(path) for path in found if path.exists()} == {0o600}
