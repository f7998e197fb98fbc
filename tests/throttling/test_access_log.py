"""``cpl serve``'s access log prints no secret, and its client address obeys ``CPL_TRUSTED_PROXIES``.

A real server process: share-link tokens, passcodes (even one wrongly put in the address) and
signed upload URLs' signatures are requested, then the log it wrote is read.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qs, urlsplit

import httpx

from tests.exports.helpers import export_file
from tests.factories import put_entry, sign_up
from tests.throttling.served import cpl_serve

PASSCODE = "tulip-4821-secret"


async def test_the_access_log_redacts_tokens_passcodes_and_signatures(settings, tmp_path):
    log = tmp_path / "serve.log"
    with cpl_serve(settings, log) as base_url:
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
            owner = await sign_up(client, verified=False)  # no mailbox here: the worker need not confirm
            entry = await put_entry(client, owner)
            done, _ = await export_file(client, owner, "json")
            made = await client.post(f"/v1/exports/{done['id']}/shares", json={"passcode": PASSCODE}, headers=owner)
            link = made.json()["url"]
            token = link.rsplit("/", 1)[1]
            assert (await client.get(link, headers={"X-Share-Passcode": PASSCODE})).status_code == 200
            assert (await client.get(link, params={"passcode": PASSCODE})).status_code == 400
            data = b"%PDF-1.4 certificate"
            slot = await client.post(
                "/v1/uploads",
                json={
                    "entry_id": entry["id"],
                    "filename": "certificate.pdf",
                    "size": len(data),
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "media_type": "application/pdf",
                },
                headers=owner,
            )
            upload = slot.json()["upload"]
            signature = parse_qs(urlsplit(upload["url"]).query)["signature"][0]
            sent = await client.put(upload["url"], content=data, headers=upload["headers"])
            assert sent.status_code < 300, sent.text
    written = log.read_text()
    for secret in (token, PASSCODE, signature):
        assert secret not in written
    assert re.search(r'"GET /shared/\[redacted\] HTTP/1.1" 200', written)
    assert re.search(r'"GET /shared/\[redacted\]\?passcode=\[redacted\] HTTP/1.1" 400', written)
    assert re.search(r'"PUT /v1/storage/uploads/\S+signature=\[redacted\] HTTP/1.1" 2\d\d', written)
    assert "expires=" in written  # what is not secret is still there


def _health_logged_from(settings, tmp_path, **environment: str) -> str:
    log = tmp_path / "serve.log"
    with cpl_serve(settings, log, **environment) as base_url:
        httpx.get(f"{base_url}/health", headers={"X-Forwarded-For": "203.0.113.9"}, timeout=10)
    # The last one: the earlier ones were the start-up checks, sent with no header.
    return [line for line in log.read_text().splitlines() if "GET /health" in line][-1]


def test_serve_ignores_forwarded_for_unless_the_peer_is_a_trusted_proxy(settings, tmp_path):
    untrusted = _health_logged_from(settings, tmp_path)
    assert "127.0.0.1:" in untrusted and "203.0.113.9" not in untrusted
    trusted = _health_logged_from(settings, tmp_path, CPL_TRUSTED_PROXIES="127.0.0.1")
    assert "203.0.113.9" in trusted
