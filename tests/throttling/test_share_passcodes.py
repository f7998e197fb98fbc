"""Share-link passcodes: throttled per link and per client address, asked only in a header or a form.

The app runs behind a trusted proxy at 127.0.0.1 here, so ``X-Forwarded-For`` says which
client address each request comes from: a guesser at one, the recipient at another.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import pytest
from pydantic import ValidationError

from tests.exports.helpers import EXPORT_SETTINGS, export_file
from tests.factories import put_entry, sign_up

AT_ONCE = 40
PASSCODE = "open sesame"
GUESSER = "203.0.113.66"
RECIPIENT = "198.51.100.7"


def from_address(address: str, passcode: str | None = None) -> dict[str, str]:
    headers = {"X-Forwarded-For": address}
    return {**headers, "X-Share-Passcode": passcode} if passcode else headers


async def shared_link(client_for, make_settings, **overrides) -> tuple:
    client = await client_for(make_settings(**EXPORT_SETTINGS, trusted_proxies="127.0.0.1", **overrides))
    owner = await sign_up(client)
    await put_entry(client, owner)
    done, data = await export_file(client, owner, "json")
    response = await client.post(f"/v1/exports/{done['id']}/shares", json={"passcode": PASSCODE}, headers=owner)
    assert response.status_code == 201, response.text
    path = response.json()["url"].removeprefix("https://cpl.example.org")
    return client, owner, done, data, path


async def accesses(client, owner, done) -> list[dict]:
    listed = (await client.get(f"/v1/exports/{done['id']}/shares", headers=owner)).json()
    return listed[0]["accesses"]


async def test_forty_parallel_guesses_from_one_address_do_not_lock_the_recipient_out(client_for, make_settings):
    client, owner, done, data, path = await shared_link(client_for, make_settings)
    responses = await asyncio.gather(
        *(client.get(path, headers=from_address(GUESSER, "a wrong guess")) for _ in range(AT_ONCE))
    )
    counted = Counter(response.status_code for response in responses)
    assert set(counted) == {403, 429}
    assert 1 <= counted[403] <= 3  # one at a time, and no more than the three free tries
    refused = next(response for response in responses if response.status_code == 429)
    assert int(refused.headers["retry-after"]) >= 1
    # The recipient, elsewhere, gets in at once.
    opened = await client.get(path, headers=from_address(RECIPIENT, PASSCODE))
    assert opened.status_code == 200 and opened.content == data
    outcomes = Counter(access["outcome"] for access in await accesses(client, owner, done))
    assert outcomes == {"wrong_passcode": counted[403], "throttled": counted[429], "granted": 1}


async def test_each_wrong_passcode_from_an_address_doubles_its_wait(client_for, make_settings):
    client, *_, path = await shared_link(
        client_for,
        make_settings,
        share_passcode_free_attempts=1,
        share_passcode_first_delay=timedelta(seconds=1),
        share_passcode_max_delay=timedelta(seconds=60),
        share_passcode_window=timedelta(minutes=10),
    )
    wrong = from_address(GUESSER, "a wrong guess")
    assert (await client.get(path, headers=wrong)).status_code == 403
    first_wait = await client.get(path, headers=wrong)
    assert first_wait.status_code == 429 and first_wait.headers["retry-after"] == "1"
    await asyncio.sleep(1.05)
    assert (await client.get(path, headers=wrong)).status_code == 403
    second_wait = await client.get(path, headers=wrong)
    assert second_wait.status_code == 429 and second_wait.headers["retry-after"] == "2"
    await asyncio.sleep(2.05)
    assert (await client.get(path, headers=from_address(GUESSER, PASSCODE))).status_code == 200
    # The right passcode cleared the address's delays: the next wrong one waits the first delay again.
    assert (await client.get(path, headers=wrong)).status_code == 403
    assert (await client.get(path, headers=wrong)).headers["retry-after"] == "1"


async def test_guesses_from_many_addresses_meet_the_links_ceiling(client_for, make_settings):
    client, *_, path = await shared_link(
        client_for,
        make_settings,
        share_passcode_attempts_per_link=10,
        share_passcode_free_attempts=1,
        share_passcode_first_delay=timedelta(seconds=10),
        share_passcode_max_delay=timedelta(seconds=20),
        share_passcode_window=timedelta(seconds=60),
    )
    responses = await asyncio.gather(
        *(client.get(path, headers=from_address(f"203.0.113.{number}", "a wrong guess")) for number in range(AT_ONCE))
    )
    assert Counter(response.status_code for response in responses) == {403: 10, 429: AT_ONCE - 10}


def test_a_link_ceiling_one_address_could_spend_alone_is_refused(make_settings):
    with pytest.raises(ValidationError, match="share_passcode_attempts_per_link must exceed"):
        make_settings(share_passcode_attempts_per_link=100)


async def test_a_passcode_in_the_address_is_refused_unchecked(client_for, make_settings):
    client, owner, done, _, path = await shared_link(client_for, make_settings)
    response = await client.get(path, params={"passcode": PASSCODE})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "X-Share-Passcode" in response.json()["detail"] and "POST" in response.json()["detail"]
    assert await accesses(client, owner, done) == []


async def test_a_passcode_posted_from_a_form_opens_the_link(client_for, make_settings):
    client, owner, done, data, path = await shared_link(client_for, make_settings)
    wrong = await client.post(path, data={"passcode": "a wrong guess"}, headers=from_address(RECIPIENT))
    assert wrong.status_code == 403
    opened = await client.post(path, data={"passcode": PASSCODE}, headers=from_address(RECIPIENT))
    assert opened.status_code == 200 and opened.content == data
    missing = await client.post(path, data={}, headers=from_address(RECIPIENT))
    assert missing.status_code == 422, missing.text
    outcomes = [access["outcome"] for access in await accesses(client, owner, done)]
    assert outcomes == ["wrong_passcode", "granted"]


async def test_a_browser_is_asked_for_the_passcode_with_a_form_that_posts_it(client_for, make_settings):
    client, owner, done, data, path = await shared_link(client_for, make_settings)
    browser = {**from_address(RECIPIENT), "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    asked = await client.get(path, headers=browser)
    assert asked.status_code == 403 and asked.headers["content-type"].startswith("text/html")
    assert '<form method="post">' in asked.text and 'name="passcode"' in asked.text
    assert "default-src 'none'" in asked.headers["content-security-policy"]
    wrong = await client.post(path, data={"passcode": "a wrong guess"}, headers=browser)
    assert wrong.status_code == 403 and "The passcode is wrong." in wrong.text
    opened = await client.post(path, data={"passcode": PASSCODE}, headers=browser)
    # The browser is sent to the portfolio (tests/exports/test_shared_portfolio.py); its file is there too.
    assert opened.status_code == 303 and opened.headers["location"] == path
    assert (await client.get(f"{path}/export")).content == data
    # An API client keeps its problem document.
    api = await client.get(path, headers=from_address(RECIPIENT))
    assert api.status_code == 403 and api.headers["content-type"].startswith("application/problem+json")
