"""Tamper evidence: ``cpl audit verify`` catches an edited, deleted or reordered event and a
truncated tail (against a saved checkpoint); checkpoints are published and verify against the JWKS."""

from __future__ import annotations

import base64
import json
import uuid

import anyio
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from cpl.audit.tables import AuditCheckpoint, AuditEvent
from tests.audit.helpers import cpl, viewed_team


async def _checkpoint(settings, tmp_path) -> str:
    path = tmp_path / f"checkpoint-{uuid.uuid4().hex[:6]}.json"
    code, out, err = await cpl(settings, "audit", "checkpoint", "--save", str(path))
    assert code == 0, err
    return str(path)


async def _broken(settings, *args: str) -> str:
    code, out, err = await cpl(settings, "audit", "verify", *args)
    assert code == 1, (out, err)
    return err


async def _last_seq() -> int:
    return (await AuditEvent.select(AuditEvent.seq).order_by(AuditEvent.seq, ascending=False).first())["seq"]


async def test_an_intact_log_verifies_with_and_without_a_saved_checkpoint(client, settings, tmp_path):
    await viewed_team(client)
    saved = await _checkpoint(settings, tmp_path)
    code, out, err = await cpl(settings, "audit", "verify", "--checkpoint", saved)
    assert code == 0 and out.startswith("OK: events 1–") and "the saved checkpoint matches" in out, (out, err)


async def test_an_edited_event_is_caught(client, settings):
    await viewed_team(client)
    await AuditEvent.update({AuditEvent.object: "entry:someone-else"}).where(AuditEvent.seq == 2)
    assert "event 2: its content does not match its hash: edited" in await _broken(settings)


async def test_an_event_given_another_actor_is_caught(client, settings):
    await viewed_team(client)
    await AuditEvent.update({AuditEvent.actor: uuid.uuid4()}).where(AuditEvent.action == "entry.viewed")
    assert "its actor is not the account its pseudonym names" in await _broken(settings)


async def test_a_deleted_event_is_caught(client, settings):
    await viewed_team(client)
    await AuditEvent.delete().where(AuditEvent.seq == 2)
    assert "event 2: missing (the next event is 3)" in await _broken(settings)


async def test_reordered_events_are_caught(client, settings):
    await viewed_team(client)
    last = await _last_seq()
    await AuditEvent.update({AuditEvent.seq: -1}).where(AuditEvent.seq == last - 1)
    await AuditEvent.update({AuditEvent.seq: last - 1}).where(AuditEvent.seq == last)
    await AuditEvent.update({AuditEvent.seq: last}).where(AuditEvent.seq == -1)
    assert f"event {last - 1}: does not link to the event before it" in await _broken(settings)


async def test_a_truncated_tail_is_caught_against_a_saved_checkpoint(client, settings, tmp_path):
    await viewed_team(client)
    saved = await _checkpoint(settings, tmp_path)
    last = await _last_seq()
    await AuditEvent.delete().where(AuditEvent.seq >= last - 1)
    await AuditCheckpoint.delete(force=True)  # the attacker removes the stored checkpoints too
    code, out, err = await cpl(settings, "audit", "verify")
    assert code == 0, err  # on its own the shortened chain is consistent…
    err = await _broken(settings, "--checkpoint", saved)  # …the checkpoint kept outside cpl is not
    assert f"event {last - 1}: missing: the saved checkpoint covers events up to {last}" in err


async def test_a_forged_checkpoint_file_is_refused(client, settings, tmp_path):
    await viewed_team(client)
    saved = tmp_path / "forged.json"
    document = json.loads(await anyio.Path(await _checkpoint(settings, tmp_path)).read_text())
    saved.write_text(json.dumps({**document, "head": "0" * 64}))
    assert "says something other than what its signature covers" in await _broken(settings, "--checkpoint", str(saved))


def _b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


async def test_checkpoints_are_public_paged_and_verify_against_the_published_keys(client, settings, tmp_path):
    await viewed_team(client, views=1)
    await _checkpoint(settings, tmp_path)
    await viewed_team(client, views=1)
    await _checkpoint(settings, tmp_path)
    first = await client.get("/v1/audit/checkpoints", params={"limit": 1})
    assert first.status_code == 200 and first.json()["next_cursor"]
    second = (
        await client.get("/v1/audit/checkpoints", params={"limit": 1, "cursor": first.json()["next_cursor"]})
    ).json()
    newest, older = first.json()["items"][0], second["items"][0]
    assert newest["seq"] > older["seq"] and second["next_cursor"] is None
    jwks = (await client.get("/.well-known/jwks.json")).json()
    header, payload, signature = newest["jws"].split(".")
    kid = json.loads(_b64(header))["kid"]
    jwk = next(key for key in jwks["keys"] if key["kid"] == kid)
    Ed25519PublicKey.from_public_bytes(_b64(jwk["x"])).verify(_b64(signature), f"{header}.{payload}".encode())
    assert json.loads(_b64(payload)) == {k: newest[k] for k in ("head", "seq", "signed_at")}
    assert (await client.get("/v1/audit/checkpoints", params={"limit": 0})).status_code == 422
