"""Sign-in and sign-up throttles under real concurrency: 40 requests at once through the app.

Each attempt is counted before the password is checked, so however many arrive together,
no more than the limit are checked; the rest answer 429 with ``Retry-After``.
"""

from __future__ import annotations

import asyncio
from collections import Counter

from tests.factories import PASSWORD, sign_up

AT_ONCE = 40


def statuses(responses) -> Counter:
    return Counter(response.status_code for response in responses)


def register_body(email: str) -> dict:
    return {"email": email, "password": PASSWORD, "display_name": "Parallel"}


async def test_forty_parallel_wrong_passwords_get_only_the_limit_checked(make_settings, client_for):
    client = await client_for(make_settings(login_failures_per_account=5, login_failures_per_address=1000))
    await sign_up(client, email="target@example.org")
    body = {"email": "target@example.org", "password": "a wrong password!"}
    responses = await asyncio.gather(*(client.post("/v1/auth/login", json=body) for _ in range(AT_ONCE)))
    assert statuses(responses) == {401: 5, 429: AT_ONCE - 5}
    refused = next(response for response in responses if response.status_code == 429)
    assert int(refused.headers["retry-after"]) > 0
    assert refused.headers["content-type"].startswith("application/problem+json")
    # The right password now waits too: the account's budget is spent.
    right = await client.post("/v1/auth/login", json={**body, "password": PASSWORD})
    assert right.status_code == 429


async def test_an_unknown_account_is_throttled_like_a_known_one(make_settings, client_for):
    client = await client_for(make_settings(login_failures_per_account=5, login_failures_per_address=1000))
    body = {"email": "nobody@example.org", "password": "a wrong password!"}
    responses = await asyncio.gather(*(client.post("/v1/auth/login", json=body) for _ in range(AT_ONCE)))
    assert statuses(responses) == {401: 5, 429: AT_ONCE - 5}


async def test_forty_parallel_logins_from_one_address_get_only_its_limit_checked(make_settings, client_for):
    client = await client_for(make_settings(login_failures_per_account=1000, login_failures_per_address=7))
    responses = await asyncio.gather(
        *(
            client.post("/v1/auth/login", json={"email": f"guess{number}@example.org", "password": "wrong one!!"})
            for number in range(AT_ONCE)
        )
    )
    assert statuses(responses) == {401: 7, 429: AT_ONCE - 7}


async def test_good_sign_ins_give_their_attempt_back(make_settings, client_for):
    client = await client_for(make_settings(login_failures_per_account=3, login_failures_per_address=3))
    await sign_up(client, email="often@example.org")
    body = {"email": "often@example.org", "password": PASSWORD}
    for _ in range(6):  # twice the address's budget, all good: none is refused
        assert (await client.post("/v1/auth/login", json=body)).status_code == 200


async def test_forty_parallel_sign_ups_for_one_address_get_only_its_limit_through(make_settings, client_for):
    client = await client_for(make_settings(signup_attempts_per_email=4, signup_attempts_per_address=1000))
    responses = await asyncio.gather(
        *(client.post("/v1/auth/register", json=register_body("wanted@example.org")) for _ in range(AT_ONCE))
    )
    counted = statuses(responses)
    # Every counted attempt gets the same answer (one account is made; the owner is mailed of the rest).
    assert counted == {202: 4, 429: AT_ONCE - 4}


async def test_forty_parallel_sign_ups_from_one_client_get_only_its_limit_through(make_settings, client_for):
    client = await client_for(make_settings(signup_attempts_per_email=1000, signup_attempts_per_address=10))
    responses = await asyncio.gather(
        *(client.post("/v1/auth/register", json=register_body(f"new{number}@example.org")) for number in range(AT_ONCE))
    )
    assert statuses(responses) == {202: 10, 429: AT_ONCE - 10}
    refused = next(response for response in responses if response.status_code == 429)
    assert 0 < int(refused.headers["retry-after"]) <= 3600
