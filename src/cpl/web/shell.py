"""The worker's web app as files: which file answers a path, its type, and how long it may be cached.

The build (``web/``, committed under ``static/``) is read once, on the first request for the app,
so that building the service stays cheap and an installation without a build still starts.
Rules (issue 13, item 1):

- a path naming a file of the build answers with that file;
- any other path under ``/app/`` is a client-side route and answers with ``index.html``, except
  paths that look like files (``assets/…``, or a last segment with a dot): those are 404, so a
  missing script is not answered with HTML;
- hashed files under ``assets/`` never change and are cached for a year; everything else
  (``index.html``, ``sw.js``, the manifest, icons) is revalidated on every use (``no-cache``), so
  a new release reaches phones on their next visit;
- text files are also kept gzip-compressed and sent so to browsers that accept it.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import anyio

#: Where the committed build lives inside the package.
STATIC_FOLDER = Path(__file__).parent / "static"

INDEX = "index.html"
SERVICE_WORKER = "sw.js"
IMMUTABLE_FOLDER = "assets"

LONG_LIVED = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"

#: Types set here rather than taken from the system's mime.types, which differ between machines (Litestar adds
#: ``charset=utf-8`` to the text ones).
MEDIA_TYPES = {
    ".html": "text/html",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".map": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".txt": "text/plain",
}
COMPRESSIBLE = {".html", ".js", ".mjs", ".css", ".json", ".webmanifest", ".map", ".svg", ".txt"}


@dataclass(frozen=True)
class AppFile:
    """One file of the build, ready to send."""

    body: bytes
    #: The same bytes gzip-compressed, for text files.
    gzipped: bytes | None
    media_type: str
    #: Strong validator of ``body``; the gzip form's is the same with ``-gzip`` appended.
    etag: str
    cache_control: str


def _media_type(name: str) -> str:
    suffix = PurePosixPath(name).suffix.lower()
    return MEDIA_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def _app_file(relative: str, body: bytes) -> AppFile:
    suffix = PurePosixPath(relative).suffix.lower()
    immutable = relative.startswith(f"{IMMUTABLE_FOLDER}/")
    return AppFile(
        body=body,
        gzipped=gzip.compress(body, mtime=0) if suffix in COMPRESSIBLE else None,
        media_type=_media_type(relative),
        etag=hashlib.sha256(body).hexdigest()[:32],
        cache_control=LONG_LIVED if immutable else REVALIDATE,
    )


def read_build(folder: Path) -> dict[str, AppFile]:
    """Every file under ``folder``, keyed by its path relative to it (``assets/index-3f2a.js``).

    A missing or empty folder gives no files: the service runs, and the app's paths answer 404.
    """
    if not folder.is_dir():
        return {}
    return {
        path.relative_to(folder).as_posix(): _app_file(path.relative_to(folder).as_posix(), path.read_bytes())
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def looks_like_a_file(relative: str) -> bool:
    """True for paths a browser asks for as files (scripts, styles, icons) rather than as app routes."""
    path = PurePosixPath(relative)
    return relative.startswith(f"{IMMUTABLE_FOLDER}/") or "." in path.name


class AppShell:
    """The build of one service instance, read on first use."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._files: dict[str, AppFile] | None = None
        self._lock = anyio.Lock()

    async def files(self) -> dict[str, AppFile]:
        if self._files is None:
            async with self._lock:
                if self._files is None:
                    self._files = await anyio.to_thread.run_sync(read_build, self.folder)
        return self._files

    async def find(self, relative: str) -> tuple[str, AppFile] | None:
        """The file answering ``relative`` (a path under ``/app/``), by the rules above; None for 404."""
        files = await self.files()
        relative = relative.strip("/") or INDEX
        if relative in files:
            return relative, files[relative]
        if looks_like_a_file(relative) or INDEX not in files:
            return None
        return INDEX, files[INDEX]
