"""Argon2 work is bounded: at most ``argon2_max_concurrent`` hashes run at once in a process.

The evidence is the hashes themselves: argon2-cffi's ``hash_secret``/``verify_secret`` (the
library's functions our code calls, not our code) are wrapped to count how many run at once,
and otherwise do their real work. Each call lingers a little so that overlapping calls, if
our bound let them happen, are seen.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from datetime import timedelta

import argon2._password_hasher as argon2_hasher
import pytest

from tests.factories import PASSWORD

AT_ONCE = 40


class InFlight:
    """Counts the argon2 calls running at this moment, and the most seen at once."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, before_work=None) -> None:
        self.lock = threading.Lock()
        self.now = self.most = 0
        self.before_work = before_work or (lambda: time.sleep(0.01))
        for name in ("hash_secret", "verify_secret"):
            monkeypatch.setattr(argon2_hasher, name, self.counting(getattr(argon2_hasher, name)))

    def counting(self, real):
        def call(*args, **kwargs):
            with self.lock:
                self.now += 1
                self.most = max(self.most, self.now)
            try:
                self.before_work()
                return real(*args, **kwargs)
            finally:
                with self.lock:
                    self.now -= 1

        return call


def sign_ups(client, count: int):
    return [
        client.post(
            "/v1/auth/register",
            json={"email": f"bound{number}@example.org", "password": PASSWORD, "display_name": "Bound"},
        )
        for number in range(count)
    ]


async def test_forty_parallel_sign_ups_hash_one_at_a_time_when_the_bound_is_one(client_for, make_settings, monkeypatch):
    client = await client_for(make_settings(argon2_max_concurrent=1, signup_attempts_per_address=1000))
    seen = InFlight(monkeypatch)
    responses = await asyncio.gather(*sign_ups(client, AT_ONCE))
    assert Counter(response.status_code for response in responses) == {202: AT_ONCE}
    assert seen.most == 1


async def test_with_a_bound_of_four_hashes_do_run_side_by_side(client_for, make_settings, monkeypatch):
    """The control: the counter does see overlapping hashes when the bound allows them."""
    client = await client_for(make_settings(argon2_max_concurrent=4, signup_attempts_per_address=1000))
    meet = threading.Barrier(2, timeout=30)
    met = threading.Event()

    def first_two_meet() -> None:
        if not met.is_set():
            meet.wait()  # breaks (and the sign-up fails) unless two hashes run at once
            met.set()

    seen = InFlight(monkeypatch, first_two_meet)
    responses = await asyncio.gather(*sign_ups(client, AT_ONCE))
    assert Counter(response.status_code for response in responses) == {202: AT_ONCE}
    assert 2 <= seen.most <= 4


async def test_a_hash_that_waits_too_long_answers_503_with_retry_after(client_for, make_settings, monkeypatch):
    client = await client_for(make_settings(argon2_max_concurrent=1, argon2_queue_timeout=timedelta(milliseconds=200)))
    entered, release = threading.Event(), threading.Event()

    def hold_the_first() -> None:
        if not entered.is_set():
            entered.set()
            release.wait(30)

    InFlight(monkeypatch, hold_the_first)
    first, second = sign_ups(client, 2)
    held = asyncio.ensure_future(first)
    assert await asyncio.to_thread(entered.wait, 30)
    refused = await second
    release.set()
    assert refused.status_code == 503
    assert refused.headers["retry-after"] == "1"
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert (await held).status_code == 202
