"""Suggestions and consents in the person's copy of their data, and gone on erasure (issue 19)."""

from __future__ import annotations

import io
import json
import secrets
import zipfile
from datetime import timedelta

import pytest

from tests.database_text import columns_holding
from tests.exports.helpers import EXPORT_SETTINGS
from tests.privacy.helpers import erase, wait_for_data_export
from tests.xapi.helpers import employer, statement, suggestions


@pytest.fixture
def quick_settings(make_settings):
    return make_settings(**EXPORT_SETTINGS, privacy_job_interval=timedelta(milliseconds=100))


@pytest.fixture
async def api(client_for, quick_settings):
    return await client_for(quick_settings)


async def test_the_data_copy_holds_them_and_erasure_takes_them(api, quick_settings):
    word = f"canary{secrets.token_hex(6)}"
    org = await employer(api)
    sent = statement(org.worker_email)
    sent["object"]["definition"]["name"] = {"en": f"Course {word}"}
    assert (await api.post("/xapi/statements", json=sent, headers=org.lrs)).status_code == 200
    assert [s["title"] for s in await suggestions(api, org.worker)] == [f"Course {word}"]
    started = await api.post("/v1/me/data-export", headers=org.worker)
    done = await wait_for_data_export(api, org.worker, started.json()["id"])
    archive = await api.get(done["download_url"], headers=org.worker)
    data = json.loads(zipfile.ZipFile(io.BytesIO(archive.content)).read("data.json"))
    assert data["learning_suggestions"][0]["title"] == f"Course {word}"
    assert data["suggestion_consents"][0]["organisation_name"] == "Riverside Care"
    await erase(api, org.worker)
    assert await columns_holding(quick_settings, word) == []
