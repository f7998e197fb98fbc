"""The second factor through the HTTP API (issue 14, item 3): enrolling and confirming, the sign-in's
challenge, wrong and replayed codes, recovery codes, the throttle, turning it off, and the cookie sign-in."""

from __future__ import annotations

import asyncio
import base64
import functools
import io
import os
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pyotp
import zxingcpp
from PIL import Image

from tests.accounts.second_factor_helpers import bearer, login, second_step, step_code
from tests.factories import PASSWORD, enrol_second_factor, sign_up
from tests.migrations.sql import fetch

APP = {"X-CPL-App": "1"}


async def test_enrolling_shows_the_secret_once_and_it_counts_only_after_a_code_confirms_it(client):
    worker = await sign_up(client, email="wren@example.org")
    enrolled = await client.post("/v1/me/second-factor", headers=worker)
    assert enrolled.status_code == 201
    body = enrolled.json()
    uri = urlsplit(body["otpauth_uri"])
    assert (uri.scheme, uri.netloc, uri.path) == ("otpauth", "totp", "/cpl:wren%40example.org")
    assert parse_qs(uri.query) == {"secret": [body["secret"]], "issuer": ["cpl"]}
    assert pyotp.parse_uri(body["otpauth_uri"]).secret == body["secret"]
    png = base64.b64decode(body["qr_code"].removeprefix("data:image/png;base64,"))
    assert [code.text for code in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))] == [body["otpauth_uri"]]

    pending = await client.get("/v1/me/second-factor", headers=worker)
    assert pending.json() == {
        "enabled": False,
        "pending": True,
        "confirmed_at": None,
        "recovery_codes_left": 0,
        "this_session": False,
    }
    assert (await login(client, "wren@example.org")).status_code == 200, "a pending factor does not count"

    wrong = await client.post("/v1/me/second-factor/confirm", json={"code": "000000"}, headers=worker)
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "code"
    malformed = await client.post("/v1/me/second-factor/confirm", json={"code": "12345"}, headers=worker)
    assert malformed.status_code == 422
    confirmed = await client.post(
        "/v1/me/second-factor/confirm", json={"code": step_code(body["secret"], 0)}, headers=worker
    )
    assert confirmed.status_code == 200
    codes = confirmed.json()["recovery_codes"]
    assert len(codes) == len(set(codes)) == 10

    status = await client.get("/v1/me/second-factor", headers=worker)
    assert status.status_code == 200
    assert {key: value for key, value in status.json().items() if key != "confirmed_at"} == {
        "enabled": True,
        "pending": False,
        "recovery_codes_left": 10,
        "this_session": True,
    }
    assert body["secret"] not in status.text
    again = await client.post("/v1/me/second-factor", headers=worker)
    assert again.status_code == 409


async def test_the_password_alone_opens_no_session_once_the_second_factor_is_on(client):
    worker = await sign_up(client, email="sam@example.org")
    secret = await enrol_second_factor(client, worker)
    first = await login(client, "sam@example.org")
    assert first.status_code == 202
    assert set(first.json()) == {"second_factor_required", "challenge", "expires_at"}
    assert first.json()["second_factor_required"] is True

    wrong = await second_step(client, first.json()["challenge"], code="000000")
    assert wrong.status_code == 401 and wrong.headers["content-type"] == "application/problem+json"
    code = step_code(secret, 1)
    signed_in = await second_step(client, first.json()["challenge"], code=code)
    assert signed_in.status_code == 200
    assert signed_in.json()["account"]["email"] == "sam@example.org"
    session = await client.get("/v1/me/second-factor", headers=bearer(signed_in))
    assert session.json()["this_session"] is True

    used_challenge = await second_step(client, first.json()["challenge"], code=code)
    assert used_challenge.status_code == 401
    replay = await second_step(client, (await login(client, "sam@example.org")).json()["challenge"], code=code)
    assert replay.status_code == 401, "a code already accepted is refused within its window (RFC 6238 §5.2)"
    unknown = await second_step(client, "no such challenge", code=step_code(secret, 1))
    assert unknown.status_code == 401


async def test_a_recovery_code_signs_in_once_and_new_ones_replace_the_old(client):
    worker = await sign_up(client, email="rue@example.org")
    enrolled = await client.post("/v1/me/second-factor", headers=worker)
    secret = enrolled.json()["secret"]
    confirmed = await client.post("/v1/me/second-factor/confirm", json={"code": step_code(secret, 0)}, headers=worker)
    first, second = confirmed.json()["recovery_codes"][:2]

    challenge = (await login(client, "rue@example.org")).json()["challenge"]
    both = await second_step(client, challenge, code=step_code(secret, 1), recovery_code=first)
    assert both.status_code == 422
    signed_in = await second_step(client, challenge, recovery_code=f"  {first.upper()} ")
    assert signed_in.status_code == 200
    again = await second_step(client, (await login(client, "rue@example.org")).json()["challenge"], recovery_code=first)
    assert again.status_code == 401
    status = await client.get("/v1/me/second-factor", headers=bearer(signed_in))
    assert status.json()["recovery_codes_left"] == 9

    renewed = await client.post(
        "/v1/me/second-factor/recovery-codes", json={"code": step_code(secret, 1)}, headers=worker
    )
    assert renewed.status_code == 200 and len(renewed.json()["recovery_codes"]) == 10
    old = await second_step(client, (await login(client, "rue@example.org")).json()["challenge"], recovery_code=second)
    assert old.status_code == 401
    new = renewed.json()["recovery_codes"][0]
    fresh = await second_step(client, (await login(client, "rue@example.org")).json()["challenge"], recovery_code=new)
    assert fresh.status_code == 200


async def test_forty_parallel_guesses_get_at_most_the_limit_checked(client_for, make_settings):
    client = await client_for(make_settings(second_factor_failures=3))
    worker = await sign_up(client, email="guess@example.org")
    secret = await enrol_second_factor(client, worker)
    challenges = [(await login(client, "guess@example.org")).json()["challenge"] for _ in range(4)]
    guesses = await asyncio.gather(
        *(second_step(client, challenges[number % 4], code=f"{number:06d}") for number in range(1, 41))
    )
    statuses = sorted(response.status_code for response in guesses)
    assert statuses.count(401) <= 3 and statuses.count(401) + statuses.count(429) == 40
    throttled = next(response for response in guesses if response.status_code == 429)
    assert throttled.headers["retry-after"] == "900"
    right = await second_step(client, challenges[0], code=step_code(secret, 1))
    assert right.status_code == 429, "while the budget is spent, not even the right code is checked"


async def test_turning_it_off_needs_the_password_and_a_code(client):
    worker = await sign_up(client, email="tess@example.org")
    secret = await enrol_second_factor(client, worker)
    disable = "/v1/me/second-factor/disable"
    wrong_password = await client.post(
        disable, json={"password": "not my password", "code": step_code(secret, 1)}, headers=worker
    )
    assert wrong_password.status_code == 422 and wrong_password.json()["errors"][0]["field"] == "password"
    no_code = await client.post(disable, json={"password": PASSWORD}, headers=worker)
    assert no_code.status_code == 422
    wrong_code = await client.post(disable, json={"password": PASSWORD, "code": "000000"}, headers=worker)
    assert wrong_code.status_code == 422 and wrong_code.json()["errors"][0]["field"] == "code"
    assert (await login(client, "tess@example.org")).status_code == 202, "nothing was turned off"

    turned_off = await client.post(disable, json={"password": PASSWORD, "code": step_code(secret, 1)}, headers=worker)
    assert turned_off.status_code == 204
    status = await client.get("/v1/me/second-factor", headers=worker)
    assert status.json()["enabled"] is False and status.json()["this_session"] is False
    assert (await login(client, "tess@example.org")).status_code == 200
    assert (
        await client.post(disable, json={"password": PASSWORD, "code": "000000"}, headers=worker)
    ).status_code == 404


async def test_the_app_signs_in_with_a_code_into_its_cookie(client):
    worker = await sign_up(client, email="app@example.org")
    secret = await enrol_second_factor(client, worker)
    client.cookies.clear()
    first = await login(client, "app@example.org", headers=APP)
    assert first.status_code == 202 and "set-cookie" not in first.headers
    signed_in = await second_step(client, first.json()["challenge"], headers=APP, code=step_code(secret, 1))
    assert signed_in.status_code == 200 and signed_in.json()["token"] is None
    [cookie] = signed_in.headers.get_list("set-cookie")
    name, _, rest = cookie.partition("=")
    client.cookies.clear()
    me = await client.get("/v1/me/second-factor", headers={**APP, "Cookie": f"{name}={rest.split(';')[0]}"})
    assert me.status_code == 200 and me.json()["this_session"] is True


async def test_the_secret_is_sealed_at_rest_with_the_services_key(client_for, make_settings, tmp_path):
    key_file = tmp_path / "secret.key"
    key_file.write_bytes(os.urandom(32))
    settings = make_settings(secret_key_file=key_file)
    client = await client_for(settings)
    worker = await sign_up(client, email="kay@example.org")
    secret = await enrol_second_factor(client, worker)
    [(stored,)] = await fetch(settings.resolved_database_url, "SELECT secret FROM second_factor")
    assert stored.startswith("aesgcm1:") and secret not in stored
    challenge = (await login(client, "kay@example.org")).json()["challenge"]
    assert (await second_step(client, challenge, code=step_code(secret, 1))).status_code == 200


async def test_an_operator_turns_off_the_second_factor_of_someone_who_lost_everything(client, settings, tmp_path):
    worker = await sign_up(client, email="lost@example.org")
    await enrol_second_factor(client, worker)
    assert (await login(client, "lost@example.org")).status_code == 202
    env = {"CPL_DATABASE_URL": settings.resolved_database_url, "CPL_DATA_DIR": str(tmp_path), "PATH": ""}
    command = [sys.executable, "-m", "cpl.cli", "users", "reset-second-factor", "--email"]
    run = functools.partial(subprocess.run, env=env, capture_output=True, text=True, timeout=120)
    reset = await asyncio.to_thread(run, [*command, "Lost@Example.org"])
    assert reset.returncode == 0, reset.stderr
    assert "Second factor turned off for lost@example.org" in reset.stdout
    assert (await login(client, "lost@example.org")).status_code == 200
    status = await client.get("/v1/me/second-factor", headers=worker)
    assert status.json()["enabled"] is False and status.json()["this_session"] is False
    again = await asyncio.to_thread(run, [*command, "lost@example.org"])
    assert again.returncode == 1 and "No second factor is on" in again.stderr
    unknown = await asyncio.to_thread(run, [*command, "nobody@example.org"])
    assert unknown.returncode == 1 and "No account" in unknown.stderr
