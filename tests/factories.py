"""Test-data factories: accounts signed in through the API, and entry bodies."""

from __future__ import annotations

import itertools
import uuid
from datetime import date, timedelta
from typing import Any

import pyotp
from httpx import AsyncClient

from tests.mailbox import last_mail_to, link_in, token_of

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


async def sign_up(
    client: AsyncClient, email: str | None = None, *, verified: bool = True, device_name: str = "", **extra: Any
) -> dict[str, str]:
    """Sign a worker up, confirm their address through the link mailed to it (unless ``verified``
    is false), sign in, and return the Authorization header of that session.

    The mail is read from ``client.mailbox`` (the mail folder unless a test gave the client another).
    """
    email = email or f"worker{next(_counter)}-{uuid.uuid4().hex[:6]}@example.org"
    response = await client.post(
        "/v1/auth/register",
        json={"email": email, "password": PASSWORD, "display_name": "Test Worker", **extra},
    )
    assert response.status_code == 202, response.text
    if verified:
        await confirm_address(client, email)
    login = await client.post("/v1/auth/login", json={"email": email, "password": PASSWORD, "device_name": device_name})
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['token']}"}


async def confirm_address(client: AsyncClient, email: str) -> None:
    """Follow the confirmation link in the last mail to ``email``, as its owner would."""
    link = link_in(last_mail_to(client.mailbox, email), "/account/confirm-email")
    confirmed = await client.post("/account/confirm-email", data={"token": token_of(link)})
    assert confirmed.status_code == 200, confirmed.text


async def enrol_second_factor(client: AsyncClient, headers: dict[str, str]) -> str | None:
    """Turn the account's second factor on from this session, which then counts as opened with it
    (what an organisation admin or a reviewer needs); returns the TOTP secret, or None when it was on."""
    status = await client.get("/v1/me/second-factor", headers=headers)
    assert status.status_code == 200, status.text
    if status.json()["enabled"]:
        return None
    enrolled = await client.post("/v1/me/second-factor", headers=headers)
    assert enrolled.status_code == 201, enrolled.text
    secret = enrolled.json()["secret"]
    code = pyotp.TOTP(secret).now()
    confirmed = await client.post("/v1/me/second-factor/confirm", json={"code": code}, headers=headers)
    assert confirmed.status_code == 200, confirmed.text
    return secret


def entry_body(**overrides: Any) -> dict[str, Any]:
    """A valid learning-activity entry; keyword arguments replace fields."""
    body = {
        "kind": "learning_activity",
        "title": f"Safeguarding refresher {next(_counter)}",
        "occurred_on": (date.today() - timedelta(days=3)).isoformat(),
        "duration_minutes": 90,
        "participatory": True,
        "activity_type": "course",
        "description": "Half-day course on adult support and protection.",
        "reflection": {
            "what_happened": "Worked through three case studies.",
            "what_i_learned": "How to escalate a concern out of hours.",
            "how_it_changes_practice": "I now record the time I escalate.",
        },
        "tags": ["safeguarding"],
    }
    body.update(overrides)
    return body


async def put_entry(client: AsyncClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    entry_id = overrides.pop("entry_id", None) or str(uuid.uuid4())
    response = await client.put(f"/v1/evidence/{entry_id}", json=entry_body(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def all_changes(client: AsyncClient, headers: dict[str, str], since: str | None = None) -> list[dict]:
    """Everything the sync feed has for this worker, following its cursor to the end."""
    changes: list[dict] = []
    while True:
        params = {"limit": 50, **({"since": since} if since else {})}
        page = (await client.get("/v1/sync", params=params, headers=headers)).json()
        changes.extend(page["changes"])
        since = page["next_cursor"]
        if not page["has_more"]:
            return changes
