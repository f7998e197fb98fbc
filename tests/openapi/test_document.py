"""The OpenAPI document says what the service does: who may call each operation, what each answers,
and the browsable view of it loads nothing from elsewhere."""

from __future__ import annotations

import re
import uuid

from cpl.app import create_app
from tests.factories import sign_up

PUBLIC_PREFIXES = ("/health", "/.well-known/", "/v1/schemas/", "/verify/", "/shared/")
METHODS = ("get", "head", "put", "post", "delete", "patch")


def _operations(document: dict) -> list[tuple[str, str, dict]]:
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def _url(path: str) -> str:
    return re.sub(r"\{[^}]+\}", lambda _: str(uuid.uuid4()), path)


async def test_public_operations_need_no_token_and_the_others_do(client):
    document = (await client.get("/schema/openapi.json")).json()
    assert document["security"] == [{"bearer": []}, {"appCookie": []}]
    public = {(method, path) for method, path, operation in _operations(document) if operation.get("security") == []}
    for prefix in PUBLIC_PREFIXES:
        assert any(path.startswith(prefix) for _, path in public), prefix
    assert {("post", "/v1/auth/login"), ("post", "/v1/auth/register")} <= public
    for method, path, operation in _operations(document):
        assert operation.get("security") in (None, []), (method, path)
        response = await client.request(method.upper(), _url(path))
        if path == "/xapi/about":
            assert response.status_code == 200, response.text  # the LRS's versions, for anyone (xAPI 1.0.3)
        elif path.startswith("/xapi/"):
            # Issue 19: public to cpl's bearer authentication, but the LRS's own HTTP Basic credentials are needed.
            assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Basic")
        elif (method, path) in public:
            assert response.status_code != 401, (method, path)
        else:
            assert response.status_code == 401, (method, path, response.status_code)


async def test_every_operation_has_a_summary_and_a_description(client):
    document = (await client.get("/schema/openapi.json")).json()
    for method, path, operation in _operations(document):
        assert operation.get("summary") and operation.get("description"), (method, path)
        assert not operation["summary"].endswith("."), (method, path)


def test_the_document_is_the_same_on_every_build(settings):
    """Problem examples are fixed, not generated at random on each build."""
    first, second = (create_app(settings).openapi_schema.to_schema() for _ in range(2))
    assert first == second
    example = first["paths"]["/v1/evidence"]["post"]["responses"]["422"]["content"]["application/problem+json"]
    assert example["examples"]["problem-example-1"]["value"] == {
        "type": "about:blank",
        "status": 422,
        "title": "Invalid input",
        "detail": "Some fields are invalid; see `errors`.",
        "errors": [{"field": "title", "message": "String should have at least 1 character"}],
    }


async def test_options_and_405_list_every_method_of_the_path(client):
    headers = await sign_up(client)
    document = (await client.get("/schema/openapi.json")).json()
    for path, item in document["paths"].items():
        documented = {method.upper() for method in item if method in METHODS}
        allowed = {*documented, "OPTIONS"}
        options = await client.request("OPTIONS", _url(path), headers=headers)
        assert options.status_code == 204, path
        assert set(options.headers["allow"].split(", ")) == allowed, (path, options.headers["allow"])
        missing = next(
            (method for method in ("PATCH", "PUT", "DELETE", "POST", "GET") if method not in documented), None
        )
        if missing is not None:
            refused = await client.request(missing, _url(path), headers=headers)
            assert refused.status_code == 405, (path, missing)
            assert set(refused.headers["allow"].split(", ")) == allowed, (path, refused.headers["allow"])


async def test_downloads_pages_and_uploads_document_their_media_types(client):
    paths = (await client.get("/schema/openapi.json")).json()["paths"]

    def answer_types(path: str, method: str = "get", status: str = "200") -> set[str]:
        return set(paths[path][method]["responses"][status]["content"])

    assert answer_types("/verify/{export_id}") == {"application/json", "text/html"}
    exports = {"application/json", "text/csv", "application/pdf", "application/zip"}
    assert answer_types("/v1/exports/{export_id}/download") == exports
    assert answer_types("/shared/{token}") == exports
    assert answer_types("/v1/attachments/{attachment_id}/content") == {"*/*"}
    assert answer_types("/v1/attachments/{attachment_id}/thumbnail") == {"image/jpeg"}
    upload = paths["/v1/evidence/{entry_id}/attachments"]["post"]["requestBody"]
    assert upload["required"] is True
    assert upload["content"]["multipart/form-data"]["schema"]["required"] == ["file"]
    assert set(paths["/v1/imports"]["post"]["requestBody"]["content"]) == {"application/json", "application/zip"}
    assert "content" not in paths["/v1/auth/logout"]["post"]["responses"]["204"]
    for path, item in paths.items():
        for method, operation in item.items():
            malformed = operation["responses"].get("400")
            assert malformed is None or set(malformed["content"]) == {"application/problem+json"}, (method, path)


async def test_swagger_ui_is_served_by_cpl_under_a_content_security_policy(client):
    page = await client.get("/schema/swagger")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self';" in policy
    assert "http" not in page.text  # nothing loaded from elsewhere
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert assets == [
        "/schema/swagger-ui/swagger-ui.css",
        "/schema/swagger-ui/swagger-ui-bundle.js",
        "/schema/swagger-ui/start.js",
    ]
    for asset in assets:
        answer = await client.get(asset)
        assert answer.status_code == 200 and len(answer.content) > 0, asset
    assert "SwaggerUIBundle" in (await client.get("/schema/swagger-ui/swagger-ui-bundle.js")).text
    assert (await client.get("/schema/swagger-ui/swagger-editor.js")).status_code == 404
