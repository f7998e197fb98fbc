"""The pass a browser holds after opening a share link: what lets it see the portfolio's files.

A person who opened a link (with its passcode, when it has one) gets a cookie scoped to that
link's path (``/shared/<token>``), ``HttpOnly`` and ``SameSite=Strict``, holding the share's id,
an expiry and an HMAC-SHA256 over both under a key derived from the service's secret
(:func:`cpl.secret_key.purpose_key`). The portfolio page and its file links accept only a pass
for their own share, unexpired, while the link itself still works: a pass for another share,
an altered one or a missing one is refused (403). A pass lasts :data:`VIEW_PASS_TTL`, never
beyond the link's own expiry; revoking the link ends it at once. The passcode itself is never
kept in the browser.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from anyio import to_thread

from cpl.errors import PasscodeRefused
from cpl.kernel import clock
from cpl.secret_key import purpose_key
from cpl.settings import Settings

VIEW_PASS_TTL = timedelta(minutes=30)
PURPOSE = b"cpl share view pass"
#: Over HTTPS (or on this machine) the browser keeps it only for secure pages.
SECURE_NAME, PLAIN_NAME = "__Secure-cpl_share", "cpl_share"
NO_PASS = "Open the share link and enter its passcode first; the files are shown only to whoever did."


def pass_name(secure: bool) -> str:
    return SECURE_NAME if secure else PLAIN_NAME


async def _mac(settings: Settings, payload: str) -> str:
    key = await to_thread.run_sync(purpose_key, settings, PURPOSE)
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()


async def issue_pass(settings: Settings, share: dict[str, Any]) -> tuple[str, int]:
    """The cookie's value and its lifetime in seconds, for whoever just opened ``share``."""
    now = clock.now()
    until = min(now + VIEW_PASS_TTL, share["expires_at"])
    payload = f"{share['id'].hex}.{int(until.timestamp())}"
    return f"{payload}.{await _mac(settings, payload)}", max(0, int((until - now).total_seconds()))


async def holds_pass(settings: Settings, value: str, share_id: UUID) -> bool:
    """True when ``value`` is an unexpired pass this service made for ``share_id``."""
    share_hex, _, rest = value.partition(".")
    until, _, mac = rest.partition(".")
    if share_hex != share_id.hex or not until.isdigit():
        return False
    if not hmac.compare_digest(mac, await _mac(settings, f"{share_hex}.{until}")):
        return False
    return datetime.fromtimestamp(int(until), clock.now().tzinfo) > clock.now()


async def require_pass(settings: Settings, value: str, share_id: UUID) -> None:
    """403 unless ``value`` is a pass for this share."""
    if not await holds_pass(settings, value, share_id):
        raise PasscodeRefused(NO_PASS)
