"""``/metrics``: off by default, behind its own token, and what a Prometheus scraper reads there."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from tests.exports.helpers import EXPORT_SETTINGS, start_export, wait_for
from tests.factories import PASSWORD, put_entry, sign_up

TOKEN = "scraper-secret-0123456789"
SCRAPER = {"Authorization": f"Bearer {TOKEN}"}


def samples(text: str) -> dict[tuple[str, frozenset], float]:
    """Every sample of a scrape, by name and labels (the text parsed by prometheus_client's own parser)."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(scraped: dict, name: str, **labels: str) -> float:
    return scraped.get((name, frozenset(labels.items())), 0.0)


async def test_metrics_are_off_unless_a_token_is_set(client) -> None:
    response = await client.get("/metrics", headers=SCRAPER)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_only_the_metrics_token_opens_them(client_for, make_settings) -> None:
    api = await client_for(make_settings(metrics_token=TOKEN))
    assert (await api.get("/metrics")).status_code == 401
    assert (await api.get("/metrics", headers={"Authorization": "Bearer wrong"})).status_code == 401
    worker = await sign_up(api)
    assert (await api.get("/metrics", headers=worker)).status_code == 401  # a session is not the token
    assert (await api.get("/metrics", headers=SCRAPER)).status_code == 200


async def test_requests_errors_throttles_and_jobs_are_counted(client_for, make_settings) -> None:
    api = await client_for(make_settings(metrics_token=TOKEN, login_failures_per_account=1, **EXPORT_SETTINGS))
    before = samples((await api.get("/metrics", headers=SCRAPER)).text)
    email = "counted@example.org"
    headers = await sign_up(api, email)
    entry = await put_entry(api, headers)
    assert (await api.get(f"/v1/evidence/{entry['id']}", headers=headers)).status_code == 200
    assert (await api.get("/v1/evidence/00000000-0000-4000-8000-000000000000", headers=headers)).status_code == 404
    wrong = {"email": email, "password": PASSWORD + "x"}
    statuses = [(await api.post("/v1/auth/login", json=wrong)).status_code for _ in range(3)]
    assert statuses[-1] == 429
    done = await wait_for(api, headers, (await start_export(api, headers, "json"))["id"])
    assert done["status"] == "done"

    response = await api.get("/metrics", headers=SCRAPER)
    assert response.headers["content-type"].startswith("text/plain")
    after = samples(response.text)
    route = "/v1/evidence/{entry_id}"
    for status in ("200", "404"):
        labels = {"method": "GET", "route": route, "status": status}
        counted = value(after, "cpl_http_requests_total", **labels) - value(before, "cpl_http_requests_total", **labels)
        assert counted == 1, status
    latency = {"method": "GET", "route": route}
    assert value(after, "cpl_http_request_duration_seconds_count", **latency) >= 2
    assert not any(name == "cpl_http_requests_total" and "/v1/evidence/0000" in str(labels) for name, labels in after)
    assert value(after, "cpl_throttled_total", route="/v1/auth/login", kind="TooManyAttempts") > value(
        before, "cpl_throttled_total", route="/v1/auth/login", kind="TooManyAttempts"
    )
    assert value(after, "cpl_export_jobs", status="done") >= 1
    assert value(after, "cpl_export_job_duration_seconds_count") > value(
        before, "cpl_export_job_duration_seconds_count"
    )
