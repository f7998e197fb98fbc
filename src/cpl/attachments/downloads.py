"""Handing a stored file to a browser: the one way cpl answers a download (files, exports, data exports)."""

from __future__ import annotations

from litestar import Response
from litestar.openapi.datastructures import ResponseSpec
from litestar.response import Redirect, Stream

from cpl.attachments.filenames import content_disposition
from cpl.errors import NotFound
from cpl.settings import Settings
from cpl.storage import Storage

#: The redirect a download answers with when the store is S3.
PRESIGNED_REDIRECT = {
    307: ResponseSpec(
        generate_examples=False, data_container=None, description="S3: a redirect to a short-lived presigned URL"
    ),
}
#: Downloads are never sniffed, framed or run by a browser, and never cached by a shared cache.
DOWNLOAD_HEADERS = {
    "Cache-Control": "private, no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}


async def stored_file(storage: Storage, settings: Settings, key: str, filename: str, media_type: str) -> Response:
    """A redirect to a short-lived presigned URL (S3), or the bytes streamed by cpl (local store);
    404 if the object is gone from the store."""
    disposition = content_disposition(filename)
    url = await storage.download_url(key, disposition, media_type, settings.download_url_ttl)
    if url is not None:
        return Redirect(url, status_code=307, headers={"Cache-Control": "private, no-store"})
    found = await storage.stat(key)
    if found is None:
        raise NotFound("The file is missing from storage; an operator has been told.")
    headers = {**DOWNLOAD_HEADERS, "Content-Disposition": disposition, "Content-Length": str(found.size)}
    # Litestar adds "; charset=utf-8" to text types itself, so a stored parameter is left off.
    return Stream(storage.read_chunks(key), media_type=media_type.partition(";")[0], headers=headers)
