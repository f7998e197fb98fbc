"""Notifications pushed to a push service the test runs, decrypted and checked as a device would."""

from __future__ import annotations

import socket
import time
import uuid
from datetime import timedelta

import pytest

from cpl.db import write_transaction
from cpl.notifications import deliver, notify, push_undelivered
from cpl.push import finish_sending
from cpl.push.repository import upsert_subscription
from tests.factories import sign_up
from tests.organisations.helpers import team
from tests.push.endpoint import Device, decrypt, vapid_claims
from tests.reviews.helpers import submit


async def _subscribe(client, headers, device) -> dict:
    response = await client.post("/v1/me/push-subscriptions", json=device.subscription(), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def _worker(client) -> tuple[dict[str, str], uuid.UUID]:
    """A new worker's headers and account id."""
    worker = await sign_up(client)
    return worker, uuid.UUID((await client.get("/v1/me", headers=worker)).json()["id"])


async def _key(client) -> str:
    return (await client.get("/v1/push/key")).json()["public_key"]


async def test_review_steps_arrive_encrypted_signed_and_opening_the_review(client_for, push_settings, push_service):
    client = await client_for(push_settings)
    t = await team(client)
    supervisor_phone, worker_phone = push_service.device(), push_service.device()
    await _subscribe(client, t.supervisor, supervisor_phone)
    await _subscribe(client, t.worker, worker_phone)
    review = await submit(client, t)
    received = await push_service.next()
    assert received.path == supervisor_phone.endpoint.removeprefix(push_service.origin)
    pushed = decrypt(received, supervisor_phone)
    [note] = (await client.get("/v1/notifications", headers=t.supervisor)).json()
    assert pushed == {
        "title": "cpl: submitted",
        "body": note["message"],
        "url": f"/app/reviews/{review['id']}",
        "tag": note["id"],
    }
    claims = vapid_claims(received, await _key(client))
    assert claims["aud"] == push_service.origin and claims["sub"] == "mailto:cpl@localhost"
    assert time.time() < claims["exp"] <= time.time() + 24 * 3600
    assert int(received.headers["ttl"]) == 2 * 24 * 3600
    await client.post(f"/v1/reviews/{review['id']}/request-changes", json={"body": "More."}, headers=t.supervisor)
    back = decrypt(await push_service.next(), worker_phone)
    assert back["url"] == f"/app/reviews/{review['id']}" and back["title"] == "cpl: changes requested"
    assert "More." not in back["body"]  # the notification does not quote the comment, nor does its push
    assert await push_service.nothing_more()


async def test_a_reminder_opens_progress_and_a_push_is_sent_once(client_for, push_settings, push_service):
    client = await client_for(push_settings)
    worker, account = await _worker(client)
    phone = push_service.device()
    await _subscribe(client, worker, phone)
    async with write_transaction():
        note = await notify(account, "reminder_due", None, "12 h 30 min of participatory CPD to go.")
    await deliver(push_settings, [note])
    assert decrypt(await push_service.next(), phone) == {
        "title": "cpl: reminder due",
        "body": "12 h 30 min of participatory CPD to go.",
        "url": "/app/progress",
        "tag": str(note["id"]),
    }
    await deliver(push_settings, [note])
    assert await push_undelivered(push_settings) == 0
    assert await push_service.nothing_more()


async def test_notifications_nobody_delivered_are_pushed_by_the_sweep_once(client_for, push_settings, push_service):
    client = await client_for(push_settings)
    worker, account = await _worker(client)
    phone = push_service.device()
    await _subscribe(client, worker, phone)
    async with write_transaction():
        await notify(account, "something_new", None, "Something happened.")
    assert await push_service.nothing_more()
    assert await push_undelivered(push_settings) == 1
    assert decrypt(await push_service.next(), phone)["url"] == "/app/notifications"
    assert await push_undelivered(push_settings) == 0


async def test_gone_subscriptions_are_removed(client_for, push_settings, push_service):
    client = await client_for(push_settings)
    worker, account = await _worker(client)
    gone, missing, kept = push_service.device(410), push_service.device(404), push_service.device(201)
    for device in (gone, missing, kept):
        await _subscribe(client, worker, device)
    async with write_transaction():
        note = await notify(account, "reminder_at_risk", None, "A rule is at risk.")
    await deliver(push_settings, [note])
    assert {(await push_service.next()).path for _ in range(3)} == {
        device.endpoint.removeprefix(push_service.origin) for device in (gone, missing, kept)
    }
    await finish_sending(push_settings)  # the gone devices are removed once their pushes are answered
    listed = (await client.get("/v1/me/push-subscriptions", headers=worker)).json()
    assert [item["endpoint"] for item in listed] == [kept.endpoint]


async def test_a_failing_push_service_is_retried_a_bounded_number_of_times(client_for, push_settings, push_service):
    client = await client_for(push_settings)
    worker, account = await _worker(client)
    flaky, broken = push_service.device(500, 503, 201), push_service.device(500)
    await _subscribe(client, worker, flaky)
    await _subscribe(client, worker, broken)
    async with write_transaction():
        note = await notify(account, "review_waiting", None, "2 reviews wait for you.")
    await deliver(push_settings, [note])
    paths = [(await push_service.next()).path for _ in range(6)]
    assert paths.count(flaky.endpoint.removeprefix(push_service.origin)) == 3
    assert paths.count(broken.endpoint.removeprefix(push_service.origin)) == 3  # push_max_attempts
    await finish_sending(push_settings)
    assert await push_service.nothing_more()
    assert len((await client.get("/v1/me/push-subscriptions", headers=worker)).json()) == 2


async def test_an_unreachable_push_service_never_fails_the_review_step(client_for, push_settings, push_service):
    client = await client_for(push_settings)
    t = await team(client)
    device = push_service.device()
    device.endpoint = "http://127.0.0.1:9/push/nobody-listens"
    await _subscribe(client, t.supervisor, device)
    await submit(client, t)
    assert len((await client.get("/v1/notifications", headers=t.supervisor)).json()) == 1


async def test_a_stalled_push_service_does_not_hold_the_review_step(client_for, make_settings, push_service):
    """The request answers while the push service still holds the push: with the push inline, the
    step would answer only after three 30-second timeouts, with three pushes received and held."""
    settings = make_settings(
        push_allow_insecure_endpoints=True,
        push_retry_delay_seconds=0.01,
        push_timeout_seconds=30,
        push_sweep_interval=timedelta(days=1),
    )
    client = await client_for(settings)
    t = await team(client)
    device = push_service.device_on_hold()
    await _subscribe(client, t.supervisor, device)
    await submit(client, t)
    assert push_service.held <= 1  # answered before any push could time out and be retried
    received = await push_service.next()
    push_service.release()
    assert decrypt(received, device)["title"] == "cpl: submitted"
    await finish_sending(settings)
    assert await push_service.nothing_more()


async def test_a_device_whose_host_now_resolves_to_this_machine_is_never_posted_to(client_for, make_settings):
    """The check at subscription is made again before each push (a name's DNS answers change): a
    stored endpoint on ``127.1`` (this machine, written like a DNS name) gets no connection."""
    settings = make_settings(push_retry_delay_seconds=0.01, push_sweep_interval=timedelta(days=1))
    client = await client_for(settings)
    worker, account = await _worker(client)
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.5)
    device = Device(f"https://127.1:{listener.getsockname()[1]}/push/inside")
    subscription = device.subscription()
    async with write_transaction():  # as if its name had resolved elsewhere when it subscribed
        keys = subscription["keys"]
        await upsert_subscription(account, device.endpoint, keys["p256dh"], keys["auth"])
        note = await notify(account, "reminder_due", None, "2 reflective accounts to go.")
    await deliver(settings, [note])
    await finish_sending(settings)
    with pytest.raises(TimeoutError), listener:
        listener.accept()
