"""The service as a whole: health, authentication on every route, the OpenAPI document, the CLI."""

from __future__ import annotations

import re
import subprocess
import sys

from litestar import Litestar

from cpl.accounts.auth import PUBLIC
from cpl.app import create_app
from cpl.settings import Settings

#: The pages the links in cpl's mail open (issue 14): forms that work without JavaScript.
LINK_PAGES = {
    (method, path)
    for method in ("GET", "POST")
    for path in ("/account/confirm-email", "/account/reset-password", "/account/forgot-password", "/invitations/accept")
}
#: The share link's browser routes (issue 15): the pass cookie authorises them, not a token.
SHARED_PAGES = {("GET", "/shared/{token}/export"), ("GET", "/shared/{token}/files/{attachment_id}")}
#: Every route anyone may call without a token. Adding a public route means adding it here.
PUBLIC_ROUTES = {
    ("GET", "/health"),
    # Running at scale (issue 18): what load balancers and orchestrators ask.
    ("GET", "/health/live"),
    ("GET", "/health/ready"),
    # Prometheus metrics: guarded by their own token (CPL_METRICS_TOKEN), not a session; 404 while unset.
    ("GET", "/metrics"),
    ("POST", "/v1/auth/register"),
    ("POST", "/v1/auth/login"),
    # The sign-in's second step (issue 14): authorised by the login's challenge and a code.
    ("POST", "/v1/auth/login/second-factor"),
    # The local storage backend's upload slot: authorised by the URL's expiring signature.
    ("PUT", "/v1/storage/uploads/{name}"),
    # The issuer's published keys: what anyone checks an export's signatures against.
    ("GET", "/.well-known/jwks.json"),
    ("GET", "/.well-known/did.json"),
    # Web Push (issue 19): the VAPID public key a browser subscribes with.
    ("GET", "/v1/push/key"),
    # The audit log's signed checkpoints (issue 16): chain heads anyone may keep outside cpl.
    ("GET", "/v1/audit/checkpoints"),
    # CASE 1.0 (issue 17): frameworks are public documents; every URI cpl mints into them answers.
    ("GET", "/ims/case/v1p0/CFPackages/{reference}"),
    ("GET", "/ims/case/v1p0/CFDocuments/{reference}"),
    ("GET", "/ims/case/v1p0/CFItems/{identifier}"),
    ("GET", "/ims/case/v1p0/CFAssociations/{identifier}"),
    # Exports (issue 7): the portable record's schema, the page a QR code links to, share links.
    ("GET", "/v1/schemas/portable-record-1.json"),
    ("GET", "/verify/{export_id}"),
    ("GET", "/shared/{token}"),
    ("POST", "/shared/{token}"),
    # Issue 15: a file of an entry shared with the viewer, through the short-lived link signed for them.
    ("GET", "/v1/shared/files/{link}"),
    # Issue 15: the shared portfolio's files and the whole export, for the browser holding the link's pass.
    *SHARED_PAGES,
    # Reminders (issue 19): a person's calendar feed, authorised by the secret token in its address.
    ("GET", "/calendar/{feed}"),
    # Issue 19: the xAPI statement resource, authorised by the organisation's LRS credentials (HTTP Basic).
    ("POST", "/xapi/statements"),
    ("PUT", "/xapi/statements"),
    ("GET", "/xapi/statements"),
    # The xAPI About resource: the versions cpl speaks, for anyone (xAPI 1.0.3 Part Three §2.8).
    ("GET", "/xapi/about"),
    # The server-rendered pages' style sheet and file-check script.
    ("GET", "/pages/{file_path}"),
    # The web app (issue 13): its page, files and screens; what they show comes from the API.
    ("GET", "/"),
    ("GET", "/app"),
    ("GET", "/app/{file_path}"),
    # E-mail ownership (issue 14): asking for a password reset, and the pages the links in mail open.
    ("POST", "/v1/auth/password-reset"),
    # Erasure (issue 16): how far it has gone, by its unguessable id (the erased have no session).
    ("GET", "/v1/erasures/{erasure_id}"),
    *LINK_PAGES,
}
#: Routes serving browsers rather than API clients, left out of the OpenAPI document.
WEB_APP_ROUTES = {
    ("GET", "/"),
    ("GET", "/app"),
    ("GET", "/app/{file_path}"),
    ("GET", "/pages/{file_path}"),
    *LINK_PAGES,
    *SHARED_PAGES,
}


def _routes(app: Litestar) -> list[tuple[str, str, object]]:
    return [
        (method, route.path, handler)
        for route in app.routes
        if not route.path.startswith("/schema")
        for handler in getattr(route, "route_handlers", [])
        for method in sorted(handler.http_methods)
        if method not in ("HEAD", "OPTIONS")
    ]


async def test_health_reports_the_database(client):
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "reachable"}


async def test_live_and_ready_health(client):
    live = await client.get("/health/live")
    assert live.status_code == 200
    assert live.json() == {"status": "ok"}
    ready = await client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "database": "reachable", "storage": "reachable"}


def _path_pattern(path: str) -> str:
    return re.sub(r"\{([^}:]+)(:[^}]+)?\}", r"{\1}", path)


async def test_every_route_but_the_public_ones_needs_a_token(client, settings):
    app = create_app(settings)
    marked_public = {(method, _path_pattern(path)) for method, path, handler in _routes(app) if handler.opt.get(PUBLIC)}
    assert marked_public == {(method, _path_pattern(path)) for method, path in PUBLIC_ROUTES}
    checked = 0
    for method, path, handler in _routes(app):
        if handler.opt.get(PUBLIC):
            continue
        concrete = re.sub(r"\{[^}]+\}", "00000000-0000-4000-8000-000000000000", path)
        response = await client.request(method, concrete, json={})
        assert response.status_code == 401, f"{method} {path} answered {response.status_code} without a token"
        assert response.headers["content-type"].startswith("application/problem+json")
        checked += 1
    assert checked >= 10


async def test_openapi_documents_every_route_with_ids_and_statuses(client, settings):
    document = (await client.get("/schema/openapi.json")).json()
    app = create_app(settings)
    operation_ids = set()
    api_routes = [route for route in _routes(app) if (route[0], _path_pattern(route[1])) not in WEB_APP_ROUTES]
    for method, path, handler in api_routes:
        operation = document["paths"][_path_pattern(path)][method.lower()]
        assert operation.get("operationId"), f"{method} {path} has no operationId"
        operation_ids.add(operation["operationId"])
        statuses = set(operation["responses"])
        assert any(status.startswith("2") for status in statuses), f"{method} {path}"
        if not handler.opt.get(PUBLIC):
            assert "401" in statuses, f"{method} {path} does not document 401"
        # Input the router does not check itself (a body, a query or header value, a `:str` path id
        # parsed by the handler) answers 422 when a value is invalid (limit=0, a non-UUID id).
        checked_inputs = (
            operation.get("requestBody")
            or ":str}" in path
            or any(parameter["in"] != "path" for parameter in operation.get("parameters", []))
        )
        # The xAPI statement resource answers bad statements with 400, as xAPI 1.0.3 Part Three §3.2 says (issue 19).
        if checked_inputs and not path.startswith("/xapi/"):
            assert "422" in statuses, f"{method} {path} takes input but does not document 422"
    assert len(operation_ids) == len(api_routes)
    assert not {path for path in document["paths"] if path == "/" or path.startswith("/app")}
    put_statuses = set(document["paths"]["/v1/evidence/{entry_id}"]["put"]["responses"])
    assert {"200", "201", "412", "422", "428"} <= put_statuses


def test_operators_are_made_from_the_command_line(settings: Settings, tmp_path):
    env = {"CPL_DATABASE_URL": settings.resolved_database_url, "CPL_DATA_DIR": str(tmp_path), "PATH": ""}
    command = [sys.executable, "-m", "cpl.cli"]
    migrated = subprocess.run([*command, "migrate"], env=env, capture_output=True, text=True, timeout=120)
    assert migrated.returncode == 0, migrated.stderr
    created = subprocess.run(
        [*command, "users", "create", "--email", "Op@Example.org", "--name", "Operator", "--admin", "--password-stdin"],
        input="a long operator password\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert created.returncode == 0, created.stderr
    assert "operator op@example.org" in created.stdout
    again = subprocess.run(
        [*command, "users", "create", "--email", "op@example.org", "--name", "Operator", "--password-stdin"],
        input="a long operator password\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 1 and "already exists" in again.stderr


async def test_the_operator_signs_in_as_an_admin(client, settings):
    from cpl.accounts.service import create_account

    await create_account(
        settings, email="root@example.org", password="a long operator password", display_name="Root", is_admin=True
    )
    login = await client.post(
        "/v1/auth/login", json={"email": "root@example.org", "password": "a long operator password"}
    )
    assert login.json()["account"]["is_admin"] is True
