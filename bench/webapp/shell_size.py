"""The app shell's weight: the scripts and stylesheets ``index.html`` loads, gzip-compressed as cpl
sends them (``cpl.web.shell`` keeps each text file gzipped at level 9), from the committed build.

The service worker's precache manifest (``self.__WB_MANIFEST`` inlined in ``sw.js``) lists what a
phone keeps for offline starts; every JS and CSS file in it is counted too, so a script the shell
loads later (a lazy chunk) is not missed. ``sw.js`` itself is reported apart: the browser fetches
it after the page has loaded, and the page never waits for it.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from cpl.web.shell import STATIC_FOLDER

TARGET_BYTES = 120_000
_PRECACHE = re.compile(r"(\[\{\"revision\":.*?\}\])")


@dataclass(frozen=True)
class BuiltFile:
    path: str
    raw_bytes: int
    gzip_bytes: int


@dataclass(frozen=True)
class ShellSize:
    loaded_by_index: list[BuiltFile]
    precached_code: list[BuiltFile]
    precached_all: list[BuiltFile]
    service_worker: BuiltFile

    @property
    def shell_gzip_bytes(self) -> int:
        """JS + CSS the shell loads: what index.html names and any other precached JS/CSS."""
        files = {file.path: file for file in [*self.loaded_by_index, *self.precached_code]}
        return sum(file.gzip_bytes for file in files.values())


class _ShellReferences(HTMLParser):
    """``<script src>`` and ``<link rel=stylesheet|modulepreload href>`` of the page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and values.get("src"):
            self.found.append(values["src"])
        if tag == "link" and values.get("rel") in ("stylesheet", "modulepreload") and values.get("href"):
            self.found.append(values["href"])


def _measure(relative: str) -> BuiltFile:
    body = (STATIC_FOLDER / relative).read_bytes()
    return BuiltFile(relative, len(body), len(gzip.compress(body, compresslevel=9, mtime=0)))


def _relative(url: str) -> str:
    return url.removeprefix("/app/").lstrip("/")


def precache_urls(service_worker: str) -> list[str]:
    """The URLs in the precache manifest Workbox inlined in sw.js, each once."""
    match = _PRECACHE.search(service_worker)
    if match is None:
        raise RuntimeError("no precache manifest found in sw.js")
    return list(dict.fromkeys(entry["url"] for entry in json.loads(match.group(1))))


def measure_shell() -> ShellSize:
    parser = _ShellReferences()
    parser.feed((STATIC_FOLDER / "index.html").read_text())
    precached = precache_urls((STATIC_FOLDER / "sw.js").read_text())
    return ShellSize(
        loaded_by_index=[_measure(_relative(url)) for url in parser.found],
        precached_code=[_measure(url) for url in precached if url.endswith((".js", ".css", ".mjs"))],
        precached_all=[_measure(url) for url in precached],
        service_worker=_measure("sw.js"),
    )


def duplicated_precache_entries() -> int:
    """How many entries of the manifest repeat one already listed (harmless, but a sign of a config slip)."""
    match = _PRECACHE.search((STATIC_FOLDER / "sw.js").read_text())
    urls = [entry["url"] for entry in json.loads(match.group(1))] if match else []
    return len(urls) - len(set(urls))
