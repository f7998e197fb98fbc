"""``X-Forwarded-For`` is believed only from the proxies in ``CPL_TRUSTED_PROXIES``.

Seen two ways through the API: the address a share link's access log records, and the
per-address sign-in budget (a forged header must not buy a fresh one). The test client's
TCP peer is 127.0.0.1.
"""

from __future__ import annotations

import pytest

from tests.exports.helpers import EXPORT_SETTINGS, export_file
from tests.factories import put_entry, sign_up


async def recorded_address(client_for, make_settings, forwarded_for: str | None, **overrides) -> str:
    client = await client_for(make_settings(**EXPORT_SETTINGS, **overrides))
    owner = await sign_up(client)
    await put_entry(client, owner)
    done, _ = await export_file(client, owner, "json")
    made = await client.post(f"/v1/exports/{done['id']}/shares", json={}, headers=owner)
    path = made.json()["url"].removeprefix("https://cpl.example.org")
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    assert (await client.get(path, headers=headers)).status_code == 200
    listed = (await client.get(f"/v1/exports/{done['id']}/shares", headers=owner)).json()
    return listed[0]["accesses"][0]["address"]


async def test_forwarded_for_from_an_untrusted_peer_is_ignored(client_for, make_settings):
    assert await recorded_address(client_for, make_settings, "203.0.113.9") == "127.0.0.1"


async def test_forwarded_for_is_ignored_when_the_peer_is_not_among_the_trusted(client_for, make_settings):
    address = await recorded_address(client_for, make_settings, "203.0.113.9", trusted_proxies="10.0.0.0/8")
    assert address == "127.0.0.1"


@pytest.mark.parametrize(
    ("trusted", "forwarded_for", "client"),
    [
        ("127.0.0.1", "203.0.113.9", "203.0.113.9"),
        # The rightmost address no trusted proxy wrote: whatever the client put before it is not believed.
        ("127.0.0.1", "198.51.100.1, 203.0.113.9", "203.0.113.9"),
        ("127.0.0.0/8, 10.0.0.0/8", "198.51.100.1, 203.0.113.9, 10.1.2.3", "203.0.113.9"),
        ("127.0.0.1, ::1", "[2001:db8::5]:4711", "2001:db8::5"),
    ],
)
async def test_forwarded_for_from_a_trusted_proxy_names_the_client(
    client_for, make_settings, trusted, forwarded_for, client
):
    assert await recorded_address(client_for, make_settings, forwarded_for, trusted_proxies=trusted) == client


async def test_a_forged_forwarded_for_buys_no_fresh_sign_in_budget(client_for, make_settings):
    client = await client_for(make_settings(login_failures_per_account=100, login_failures_per_address=2))
    for number in range(2):
        body = {"email": f"guess{number}@example.org", "password": "wrong one!!"}
        assert (await client.post("/v1/auth/login", json=body)).status_code == 401
    forged = {"X-Forwarded-For": f"203.0.113.{number}"}
    body = {"email": "other@example.org", "password": "wrong one!!"}
    assert (await client.post("/v1/auth/login", json=body, headers=forged)).status_code == 429


async def test_behind_a_trusted_proxy_each_client_has_its_own_sign_in_budget(client_for, make_settings):
    client = await client_for(
        make_settings(login_failures_per_account=100, login_failures_per_address=2, trusted_proxies="127.0.0.1")
    )
    first, second = {"X-Forwarded-For": "203.0.113.1"}, {"X-Forwarded-For": "203.0.113.2"}
    for number in range(2):
        body = {"email": f"guess{number}@example.org", "password": "wrong one!!"}
        assert (await client.post("/v1/auth/login", json=body, headers=first)).status_code == 401
    body = {"email": "other@example.org", "password": "wrong one!!"}
    assert (await client.post("/v1/auth/login", json=body, headers=first)).status_code == 429
    assert (await client.post("/v1/auth/login", json=body, headers=second)).status_code == 401


def test_trusted_proxies_must_be_addresses_or_networks(make_settings):
    with pytest.raises(ValueError, match="does not appear to be an IPv4 or IPv6"):
        make_settings(trusted_proxies="127.0.0.1, proxy.example")
