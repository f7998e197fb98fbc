"""Choose the backend named by ``CPL_STORAGE_URL``."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from cpl.settings import Settings
from cpl.storage.base import Storage
from cpl.storage.local import LocalStorage
from cpl.storage.s3 import S3Storage, StoreLimits, build_client


def open_storage(settings: Settings) -> Storage:
    """``s3://bucket/prefix`` → :class:`S3Storage`; ``file:///path`` → :class:`LocalStorage`.

    Builds the client but contacts nothing: a store that is down fails the requests that
    need it (503), not the service's start.
    """
    url = settings.resolved_storage_url
    parts = urlsplit(url)
    if parts.scheme == "s3":
        if not parts.netloc:
            raise ValueError(f"CPL_STORAGE_URL must name a bucket: s3://bucket/prefix, got {url!r}")
        return S3Storage(
            build_client(settings),
            bucket=parts.netloc,
            prefix=unquote(parts.path),
            limits=StoreLimits.from_settings(settings),
        )
    if parts.scheme == "file":
        if parts.netloc not in ("", "localhost") or not parts.path.startswith("/"):
            raise ValueError(f"CPL_STORAGE_URL must be an absolute file:///path, got {url!r}")
        signing_key = settings.storage_signing_key.get_secret_value().encode() or None
        return LocalStorage(Path(unquote(parts.path)), signing_key=signing_key)
    raise ValueError(f"CPL_STORAGE_URL must be s3://bucket/prefix or file:///path, got {url!r}")
