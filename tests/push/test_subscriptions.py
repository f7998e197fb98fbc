"""Devices' push subscriptions through the API, and the VAPID key every node serves."""

from __future__ import annotations

import uuid

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from cpl.accounts.events import AccountErased
from cpl.audit.tables import AuditEvent
from cpl.db import write_transaction
from cpl.push import erase_subscriptions, push_subscriptions_data
from cpl.push.tables import VapidKey
from tests.factories import sign_up
from tests.push.endpoint import Device, b64url, b64url_decode


async def _me(client, headers) -> str:
    return (await client.get("/v1/me", headers=headers)).json()["id"]


async def test_the_key_is_made_once_sealed_and_served_alike_by_every_node(client_for, settings):
    first, second = await client_for(settings), await client_for(settings)
    served = (await first.get("/v1/push/key")).json()["public_key"]
    assert len(b64url_decode(served)) == 65 and b64url_decode(served)[0] == 4
    assert (await second.get("/v1/push/key")).json()["public_key"] == served
    [row] = await VapidKey.select()
    assert row["public_key"] == served and row["private_key"].startswith("cpl-sealed-v1:")
    assert "BEGIN" not in row["private_key"]


async def test_a_key_from_settings_is_served_and_not_stored(client_for, make_settings, tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    path = tmp_path / "vapid.pem"
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    client = await client_for(make_settings(vapid_private_key_file=path))
    point = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    assert (await client.get("/v1/push/key")).json() == {"public_key": b64url(point)}
    assert await VapidKey.count() == 0


async def test_subscribing_again_updates_and_only_the_owner_removes(client):
    worker, other = await sign_up(client), await sign_up(client)
    device = Device("https://push.example.net/send/abc")
    made = await client.post("/v1/me/push-subscriptions", json=device.subscription(), headers=worker)
    assert made.status_code == 201, made.text
    assert made.json()["endpoint"] == device.endpoint
    again = Device(device.endpoint)
    updated = await client.post("/v1/me/push-subscriptions", json=again.subscription(), headers=worker)
    assert updated.status_code == 200 and updated.json()["id"] == made.json()["id"]
    listed = (await client.get("/v1/me/push-subscriptions", headers=worker)).json()
    assert [item["id"] for item in listed] == [made.json()["id"]]
    assert (await client.get("/v1/me/push-subscriptions", headers=other)).json() == []
    gone = f"/v1/me/push-subscriptions/{made.json()['id']}"
    assert (await client.delete(gone, headers=other)).status_code == 404
    assert (await client.delete(gone, headers=worker)).status_code == 204
    assert (await client.delete(gone, headers=worker)).status_code == 404
    assert (await client.get("/v1/me/push-subscriptions", headers=worker)).json() == []
    account = uuid.UUID(await _me(client, worker))
    events = (
        await AuditEvent.select(AuditEvent.action, AuditEvent.object)
        .where(AuditEvent.subject == account)
        .order_by(AuditEvent.seq)
    )
    pushes = [(event["action"], event["object"]) for event in events if event["action"].startswith("push.")]
    device_id = f"push_subscription:{made.json()['id']}"
    assert pushes == [("push.subscribed", device_id)] * 2 + [("push.unsubscribed", device_id)]


async def test_bad_subscriptions_are_refused_naming_the_field(client):
    worker = await sign_up(client)
    good = Device("https://push.example.net/send/abc").subscription()
    cases = {
        "endpoint": [
            {**good, "endpoint": "http://push.example.net/x"},
            {**good, "endpoint": "https://10.0.0.1/x"},
            # names that resolve to this machine, though written with dots like a DNS name
            {**good, "endpoint": "https://127.1/x"},
            {**good, "endpoint": "https://0x7f.0.0.1/x"},
        ],
        "keys.p256dh": [
            {**good, "keys": {**good["keys"], "p256dh": b64url(b"\x04" + b"\x00" * 64)}},
            {**good, "keys": {**good["keys"], "p256dh": good["keys"]["p256dh"][:40]}},
            {**good, "keys": {**good["keys"], "p256dh": "not base64url!"}},
        ],
        "keys.auth": [{**good, "keys": {**good["keys"], "auth": b64url(b"x" * 15)}}],
    }
    for field, bodies in cases.items():
        for body in bodies:
            response = await client.post("/v1/me/push-subscriptions", json=body, headers=worker)
            assert response.status_code == 422, (field, response.text)
            assert response.headers["content-type"].startswith("application/problem+json")
            assert field in response.text, response.text
    local = {**good, "endpoint": "https://localhost/x"}
    assert (await client.post("/v1/me/push-subscriptions", json=local, headers=worker)).status_code == 422
    assert (await client.post("/v1/me/push-subscriptions", json=good)).status_code == 401


async def test_erasure_removes_the_devices_and_the_export_names_only_the_push_service(client):
    worker = await sign_up(client)
    await client.post(
        "/v1/me/push-subscriptions", json=Device("https://push.example.net/send/secret").subscription(), headers=worker
    )
    account = uuid.UUID(await _me(client, worker))
    [exported] = await push_subscriptions_data(account)
    assert exported["push_service"] == "push.example.net" and "secret" not in str(exported)
    async with write_transaction():
        await erase_subscriptions(AccountErased(account_id=account, email="x@example.org"))
    assert await push_subscriptions_data(account) == []
