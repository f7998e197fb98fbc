"""Short-lived links to the files of an entry shared with the viewer (issue 15).

A supervisor reviewing an entry must see its evidence (the certificate, the photo, the voice
note), yet the files stay their owner's: ``GET /v1/attachments/{id}/content`` serves the owner
only. So each file of an entry shared with the viewer is listed with a link that:

- is made for **one viewer, one entry and one of its files**, and works for
  ``CPL_SHARED_FILE_LINK_TTL`` (default 5 minutes) — long enough to open it, short enough that
  a copied link soon stops working. It carries no bearer token, so an ``<img>``, an ``<audio>``
  or the browser's PDF viewer can fetch it;
- is signed with HMAC-SHA256 under a key derived from the service's secret key for this
  purpose alone (:func:`cpl.secret_key.purpose_key`, as the sealed keys are): nothing is stored,
  and a link altered in any part is refused;
- is checked again when followed, as things stand then (:func:`open_shared_file`): the entry
  still shared with that viewer (:func:`cpl.sharing.visibility.visible_entry`, which also
  checks the supervision link) and the file still on it. Revoked, unlinked, expired or altered:
  404, exactly as a file that does not exist.

:func:`open_shared_file` is the one place such a file is read, where an audit of who opened
what belongs.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from anyio import to_thread

from cpl.attachments.service import entry_attachments
from cpl.errors import NotFound
from cpl.kernel import clock
from cpl.secret_key import purpose_key
from cpl.settings import Settings
from cpl.sharing.visibility import visible_entry

_PURPOSE = b"cpl shared file link v1"
_PAYLOAD = struct.Struct(">16s16s16sq")
LINK_PATH = "/v1/shared/files/"


@dataclass(frozen=True)
class SharedFile:
    """A file followed through a valid link: who opened it, whose and of which entry, and the attachment row."""

    viewer: UUID
    owner: UUID
    entry_id: UUID
    attachment: dict[str, Any]


async def link_key(settings: Settings) -> bytes:
    """The HMAC key of file links (reads the secret key file in a worker thread)."""
    return await to_thread.run_sync(purpose_key, settings, _PURPOSE)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def file_link(key: bytes, settings: Settings, viewer: UUID, entry_id: UUID, attachment_id: UUID) -> str:
    """The path of a link to one file of a shared entry, for one viewer, valid from now for the TTL."""
    expires = int((clock.now() + settings.shared_file_link_ttl).timestamp())
    payload = _PAYLOAD.pack(viewer.bytes, entry_id.bytes, attachment_id.bytes, expires)
    signature = hmac.new(key, payload, hashlib.sha256).digest()
    return f"{LINK_PATH}{_b64(payload)}.{_b64(signature)}"


def _read_token(key: bytes, token: str) -> tuple[UUID, UUID, UUID]:
    """The viewer, entry and attachment a token names, if it is untouched and unexpired."""
    refused = NotFound("No file at this link: it expired, or was altered; open the entry again for a fresh link.")
    try:
        if len(token) > 200:
            raise ValueError("longer than any link")
        payload_text, signature_text = token.split(".")
        payload = base64.urlsafe_b64decode(payload_text + "=" * (-len(payload_text) % 4))
        signature = base64.urlsafe_b64decode(signature_text + "=" * (-len(signature_text) % 4))
        viewer, entry, attachment, expires = _PAYLOAD.unpack(payload)
    except (ValueError, struct.error) as error:
        raise refused from error
    if not hmac.compare_digest(hmac.new(key, payload, hashlib.sha256).digest(), signature):
        raise refused
    if expires < clock.now().timestamp():
        raise refused
    return UUID(bytes=viewer), UUID(bytes=entry), UUID(bytes=attachment)


async def open_shared_file(settings: Settings, token: str) -> SharedFile:
    """The file a link names, if the link holds and the entry is still shared with its viewer."""
    viewer, entry_id, attachment_id = _read_token(await link_key(settings), token)
    entry = await visible_entry(viewer, entry_id)
    for row in await entry_attachments(entry["owner"], entry_id):
        if row["id"] == attachment_id:
            return SharedFile(viewer, entry["owner"], entry_id, row)
    raise NotFound("No file at this link: it is no longer on the shared entry.")
