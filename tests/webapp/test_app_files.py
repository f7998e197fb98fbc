"""Serving the web app's files at /app/ through HTTP (issue 13, items 1 and 6).

Most tests serve a small build made in the test; the last ones check the build committed in
the package, which is what ``pip install`` and ``cpl serve`` ship.
"""

from __future__ import annotations

import gzip
import os
import re
from pathlib import Path

import pytest

from cpl.web import STATIC_FOLDER

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
    "media-src 'self' blob:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
INDEX = b'<!doctype html><html lang="en"><title>cpl</title><script type="module" src="/app/assets/index-1a2b.js">'
SCRIPT = b"console.log('cpl');" * 50
IDENTITY = {"Accept-Encoding": "identity"}


@pytest.fixture
def build(tmp_path: Path) -> Path:
    folder = tmp_path / "build"
    (folder / "assets").mkdir(parents=True)
    (folder / "icons").mkdir()
    (folder / "index.html").write_bytes(INDEX)
    (folder / "sw.js").write_bytes(b"self.addEventListener('install', () => {});")
    (folder / "manifest.webmanifest").write_bytes(b'{"name": "cpl", "display": "standalone"}')
    (folder / "assets" / "index-1a2b.js").write_bytes(SCRIPT)
    (folder / "assets" / "index-9f8e.css").write_bytes(b"body{margin:0}")
    (folder / "icons" / "icon-192.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    return folder


@pytest.fixture
async def app_client(client_for, make_settings, build: Path):
    return await client_for(make_settings(web_app_folder=build))


def assert_app_page_headers(response) -> None:
    assert response.headers["content-security-policy"] == CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


async def test_the_front_door_redirects_to_the_app(app_client):
    root = await app_client.get("/", follow_redirects=False)
    assert root.status_code == 302 and root.headers["location"] == "/app/"
    bare = await app_client.get("/app", follow_redirects=False)
    assert bare.status_code == 308 and bare.headers["location"] == "/app/"


async def test_the_app_page_and_its_client_side_routes_answer_with_index_html(app_client):
    for path in ("/app/", "/app/entries/7b0c", "/app/settings"):
        response = await app_client.get(path, headers=IDENTITY)
        assert response.status_code == 200, path
        assert response.content == INDEX
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert response.headers["cache-control"] == "no-cache"
        assert_app_page_headers(response)


async def test_hashed_assets_are_cached_for_a_year_and_missing_files_are_404(app_client):
    script = await app_client.get("/app/assets/index-1a2b.js", headers=IDENTITY)
    assert script.status_code == 200 and script.content == SCRIPT
    assert script.headers["content-type"] == "text/javascript; charset=utf-8"
    assert script.headers["cache-control"] == "public, max-age=31536000, immutable"
    style = await app_client.get("/app/assets/index-9f8e.css")
    assert style.headers["content-type"] == "text/css; charset=utf-8"
    icon = await app_client.get("/app/icons/icon-192.png")
    assert icon.headers["content-type"] == "image/png" and icon.headers["cache-control"] == "no-cache"
    for missing in ("/app/assets/index-0000.js", "/app/assets/gone", "/app/icons/icon-512.png", "/app/robots.txt"):
        response = await app_client.get(missing)
        assert response.status_code == 404, missing
        assert response.headers["content-type"] == "application/problem+json"


async def test_the_service_worker_may_control_the_whole_app_and_is_always_revalidated(app_client):
    response = await app_client.get("/app/sw.js")
    assert response.status_code == 200
    assert response.headers["service-worker-allowed"] == "/app/"
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"


async def test_the_manifest_has_its_own_type_and_is_revalidated(app_client):
    response = await app_client.get("/app/manifest.webmanifest")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/manifest+json"
    assert response.headers["cache-control"] == "no-cache"
    assert response.json()["display"] == "standalone"


async def test_text_files_are_sent_gzipped_to_browsers_that_accept_it(app_client):
    raw = await app_client.get("/app/assets/index-1a2b.js", headers=IDENTITY)
    assert "content-encoding" not in raw.headers and raw.headers["vary"] == "Accept-Encoding"
    stream = await app_client.send(
        app_client.build_request("GET", "/app/assets/index-1a2b.js", headers={"Accept-Encoding": "gzip, br"}),
        stream=True,
    )
    compressed = b"".join([chunk async for chunk in stream.aiter_raw()])
    await stream.aclose()
    assert stream.headers["content-encoding"] == "gzip"
    assert len(compressed) < len(SCRIPT) and gzip.decompress(compressed) == SCRIPT
    refused = await app_client.get("/app/assets/index-1a2b.js", headers={"Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in refused.headers
    icon = await app_client.get("/app/icons/icon-192.png", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in icon.headers


async def test_a_current_copy_is_revalidated_with_304(app_client):
    first = await app_client.get("/app/", headers=IDENTITY)
    again = await app_client.get("/app/", headers={**IDENTITY, "If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == first.headers["etag"]
    stale = await app_client.get("/app/", headers={**IDENTITY, "If-None-Match": '"something-else"'})
    assert stale.status_code == 200 and stale.content == INDEX


async def test_the_app_files_need_no_sign_in_and_are_not_in_the_api_document(app_client):
    assert (await app_client.get("/app/", headers={"Authorization": "Bearer nonsense"})).status_code == 200
    document = (await app_client.get("/schema/openapi.json")).json()
    assert not [path for path in document["paths"] if path == "/" or path.startswith("/app")]


async def test_an_installation_without_a_build_still_serves_the_api(client_for, make_settings, tmp_path: Path):
    empty = tmp_path / "empty-build"
    empty.mkdir()
    for folder in (tmp_path / "no-build", empty):
        client = await client_for(make_settings(web_app_folder=folder))
        assert (await client.get("/health")).status_code == 200
        response = await client.get("/app/")
        assert response.status_code == 404
        assert "npm run build" in response.json()["detail"]


def committed_build() -> Path:
    if not (STATIC_FOLDER / "index.html").is_file():
        if os.environ.get("CI"):
            pytest.fail(f"the web app's build is missing from {STATIC_FOLDER}: run `cd web && npm ci && npm run build`")
        pytest.skip("no web app build yet: run `cd web && npm ci && npm run build`")
    return STATIC_FOLDER


async def test_the_committed_build_is_served_whole_from_the_package(client):
    build = committed_build()
    for path in sorted(p for p in build.rglob("*") if p.is_file()):
        relative = path.relative_to(build).as_posix()
        response = await client.get(f"/app/{relative}", headers=IDENTITY)
        assert response.status_code == 200, relative
        assert response.content == path.read_bytes(), relative
    manifest = await client.get("/app/manifest.webmanifest")
    assert manifest.headers["content-type"] == "application/manifest+json"


async def test_the_committed_page_loads_nothing_from_elsewhere(client):
    build = committed_build()
    page = (build / "index.html").read_text()
    references = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert references, "index.html links its script and styles"
    for reference in references:
        assert reference.startswith("/app/"), f"{reference} is not served by cpl at /app/"
        assert (await client.get(reference)).status_code == 200, reference
