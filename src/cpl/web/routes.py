"""HTTP routes serving the worker's web app at ``/app/`` (issue 13, items 1 and 6).

The app's pages carry a strict Content-Security-Policy: scripts, styles, workers and requests
only from cpl itself, no inline script and no ``eval``, never framed. Images and audio may also
come from ``blob:``/``data:`` URLs, which is how the app shows photos and voice notes still
waiting in IndexedDB.
"""

from __future__ import annotations

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect

from cpl.accounts.auth import PUBLIC
from cpl.errors import NotFound
from cpl.web.shell import SERVICE_WORKER, AppFile, AppShell

APP_PATH = "/app/"

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
    "media-src 'self' blob:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

NO_SUCH_FILE = "No such file in the web app."
NOT_BUILT = "This installation has no build of the web app (cd web && npm ci && npm run build)."


def accepts_gzip(accept_encoding: str) -> bool:
    """True when ``Accept-Encoding`` lists gzip (or ``*``) with a quality above zero."""
    for item in accept_encoding.lower().split(","):
        coding, _, params = item.partition(";")
        if coding.strip() not in ("gzip", "*"):
            continue
        name, _, value = params.strip().partition("=")
        if name.strip() != "q":
            return True
        try:
            return float(value) > 0
        except ValueError:
            return False
    return False


def _etag_matches(if_none_match: str, etag: str) -> bool:
    candidates = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return f'"{etag}"' in candidates or "*" in candidates


def app_file_response(request: Request, name: str, file: AppFile) -> Response[bytes]:
    """The file with its caching, compression and security headers; 304 when the browser's copy is current."""
    headers = {**SECURITY_HEADERS, "Cache-Control": file.cache_control}
    if name == SERVICE_WORKER:
        headers["Service-Worker-Allowed"] = APP_PATH
    body, etag = file.body, file.etag
    if file.gzipped is not None:
        headers["Vary"] = "Accept-Encoding"
        if accepts_gzip(request.headers.get("accept-encoding", "")):
            body, etag = file.gzipped, f"{file.etag}-gzip"
            headers["Content-Encoding"] = "gzip"
    headers["ETag"] = f'"{etag}"'
    if _etag_matches(request.headers.get("if-none-match", ""), etag):
        headers.pop("Content-Encoding", None)
        return Response(content=b"", status_code=304, headers=headers)
    return Response(content=body, media_type=file.media_type, headers=headers)


@get("/", operation_id="openApp", opt={PUBLIC: True}, include_in_schema=False)
async def open_app() -> Redirect:
    """The service's front door is the worker's app."""
    return Redirect(APP_PATH)


class WebAppController(Controller):
    """The app's files; any other path under ``/app/`` is one of its screens (see :mod:`cpl.web.shell`)."""

    path = "/app"
    opt = {PUBLIC: True}
    include_in_schema = False

    @get(["/", "/{file_path:path}"], operation_id="getAppFile")
    async def app_file(
        self, request: Request, app_shell: NamedDependency[AppShell], file_path: FromPath[str] = ""
    ) -> Response[bytes] | Redirect:
        if not file_path and request.scope.get("raw_path", b"").endswith(b"/app"):
            return Redirect(APP_PATH, status_code=308)  # the service worker's scope is /app/, not /app
        found = await app_shell.find(file_path)
        if found is None:
            raise NotFound(NO_SUCH_FILE if await app_shell.files() else NOT_BUILT)
        return app_file_response(request, *found)
