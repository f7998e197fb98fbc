"""Every answer carries ``X-Request-Id``; an incoming one is kept only from a trusted proxy; the
log records made while serving a request, and ``cpl serve``'s access line for it, carry its id, as
JSON when ``CPL_LOG_FORMAT=json``."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Iterator
from uuid import UUID

import httpx
import pytest

from cpl.attachments.tables import Attachment
from cpl.request_log import JsonFormatter
from tests.attachments import corpus
from tests.attachments.helpers import upload
from tests.exports.helpers import EXPORT_SETTINGS, wait_for
from tests.factories import put_entry, sign_up
from tests.throttling.served import cpl_serve

GENERATED = re.compile(r"^[0-9a-f]{32}$")


async def test_every_answer_carries_a_request_id(client) -> None:
    answers = [
        await client.get("/health"),
        await client.get("/no/such/route"),
        await client.get("/v1/evidence"),  # refused by the authentication middleware
    ]
    assert [answer.status_code for answer in answers] == [200, 404, 401]
    ids = [answer.headers["x-request-id"] for answer in answers]
    assert all(GENERATED.match(value) for value in ids)
    assert len(set(ids)) == 3


@pytest.mark.parametrize(
    ("trusted", "sent", "kept"),
    [
        ("127.0.0.1", "edge-7f3a:01", True),
        ("", "edge-7f3a:01", False),  # anyone may send the header; only the proxy in front is believed
        ("127.0.0.1", "two words", False),
        ("127.0.0.1", "x" * 129, False),
    ],
)
async def test_an_incoming_request_id_is_kept_only_from_a_trusted_proxy(
    client_for, make_settings, trusted: str, sent: str, kept: bool
) -> None:
    api = await client_for(make_settings(trusted_proxies=trusted))
    answer = (await api.get("/health", headers={"X-Request-Id": sent})).headers["x-request-id"]
    assert (answer == sent) is kept
    if not kept:
        assert GENERATED.match(answer)


@pytest.fixture
def json_lines() -> Iterator[list[str]]:
    """cpl's log records, formatted as ``CPL_LOG_FORMAT=json`` formats them."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Collect()
    handler.setFormatter(JsonFormatter())
    logging.getLogger("cpl").addHandler(handler)
    yield lines
    logging.getLogger("cpl").removeHandler(handler)


async def test_log_records_made_for_a_request_carry_its_id(client, json_lines) -> None:
    answer = await client.post(
        "/v1/auth/register",
        json={"email": "logged@example.org", "password": "a long enough password", "display_name": "L"},
    )
    assert answer.status_code == 202
    records = [json.loads(line) for line in json_lines]
    mail = [record for record in records if record["logger"] == "cpl.mail"]
    assert mail, records  # with no SMTP server the confirmation mail is written to a folder, and logged
    assert {record["request_id"] for record in mail} == {answer.headers["x-request-id"]}
    assert set(mail[0]) == {"time", "level", "logger", "message", "request_id"}


async def test_json_logs_are_written_when_asked(client_for, make_settings, capfd) -> None:
    api = await client_for(make_settings(log_format="json"))
    answer = await sign_up(api)
    assert answer
    for _ in range(50):  # the app's log handler writes from its own thread
        written = [line for line in capfd.readouterr().err.splitlines() if '"logger": "cpl.mail"' in line]
        if written:
            break
        await asyncio.sleep(0.1)
    record = json.loads(written[0])
    assert record["level"] == "WARNING" and GENERATED.match(record["request_id"])


async def test_an_export_jobs_log_records_carry_the_id_of_the_request_that_queued_it(
    client_for, make_settings, json_lines
) -> None:
    api = await client_for(make_settings(**EXPORT_SETTINGS))
    headers = await sign_up(api)
    entry = await put_entry(api, headers)
    attachment = (await upload(api, headers, entry["id"], corpus.pdf(), "c.pdf")).json()
    # A staged file whose object is gone: the job's attempt to promote it is logged.
    await Attachment.update(
        {Attachment.state: "staged", Attachment.object_key: f"staging/{UUID(attachment['id']).hex}"}
    ).where(Attachment.id == attachment["id"])

    queued = await api.post("/v1/exports", json={"format": "bundle", "selection": {}}, headers=headers)
    assert queued.status_code == 202
    await wait_for(api, headers, queued.json()["id"])
    records = [json.loads(line) for line in json_lines]
    from_the_job = [record for record in records if record["logger"] == "cpl.attachments"]
    assert from_the_job, records
    assert {record["request_id"] for record in from_the_job} == {queued.headers["x-request-id"]}


def test_serve_logs_each_request_under_the_id_it_answers_with(settings, tmp_path) -> None:
    """Behind a trusted proxy (nginx sends its ``$request_id``), the proxy's id is the one answered
    and the one in cpl's access line, so the two logs meet; an id that does not look like one is
    replaced, in the answer and the log alike."""
    log, proxy_id = tmp_path / "serve.log", "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
    with cpl_serve(settings, log, CPL_TRUSTED_PROXIES="127.0.0.1", CPL_LOG_FORMAT="json") as base_url:
        kept = httpx.get(f"{base_url}/health/live", headers={"X-Request-Id": proxy_id}, timeout=10)
        replaced = httpx.get(f"{base_url}/health/live", headers={"X-Request-Id": "two words"}, timeout=10)
    assert kept.headers["x-request-id"] == proxy_id
    assert GENERATED.match(replaced.headers["x-request-id"])
    lines = [json.loads(line) for line in log.read_text().splitlines() if '"logger": "uvicorn.access"' in line]
    logged = {record["request_id"]: record["message"] for record in lines}
    for answer in (kept, replaced):
        assert '"GET /health/live HTTP/1.1" 200' in logged[answer.headers["x-request-id"]]
