"""Take it all (issue 16, item 5): the ZIP holds every section and file, for its owner only, for a while."""

from __future__ import annotations

import io
import json
import zipfile

from tests.factories import sign_up
from tests.privacy.helpers import canary_person, wait_for_data_export


async def _zip(api, headers, export: dict) -> zipfile.ZipFile:
    response = await api.get(export["download_url"], headers=headers, follow_redirects=False)
    if response.status_code == 307:  # S3: the presigned URL
        import httpx

        async with httpx.AsyncClient() as outside:
            response = await outside.get(response.headers["location"])
    assert response.status_code == 200, response.text
    return zipfile.ZipFile(io.BytesIO(response.content))


async def test_the_copy_holds_every_section_and_every_file(api):
    person = await canary_person(api)
    started = await api.post("/v1/me/data-export", headers=person.headers)
    assert started.status_code == 202 and started.json()["status"] == "queued"
    done = await wait_for_data_export(api, person.headers, started.json()["id"])
    assert done["expires_at"] > done["finished_at"]
    archive = await _zip(api, person.headers, done)
    data = json.loads(archive.read("data.json"))
    assert data["account"][0]["email"] == person.email
    titles = sorted(entry["title"] for entry in data["entries"])
    assert titles == ["", f"Entry {person.word}"]  # the deleted entry's metadata, its content erased
    assert [row["deleted_at"] is not None for row in data["entries"] if row["title"] == ""] == [True]
    for section in ("sessions", "files", "competence_links", "registrations", "gap_explanations", "shares"):
        assert data[section], section
    assert data["reviews_received"][0]["verifications"][0]["statement"] == f"True {person.word}"
    assert data["notifications"] and data["organisations"] and data["exports"][0]["share_links"]
    assert [row["push_service"] for row in data["push_subscriptions"]] == [f"push-{person.word}.invalid"]
    names = archive.namelist()
    text = [name for name in names if name.endswith(f"{person.word}.txt")]
    assert len(text) == 1 and archive.read(text[0]) == f"certificate {person.word}\n".encode()
    assert any(name.endswith(f"ward-{person.word}.png") for name in names)
    index = archive.read("index.html").decode()
    assert f"Wren {person.word}" in index and "Gap explanations" in index


async def test_a_copy_is_its_owners_alone(api):
    person = await canary_person(api)
    mine = (await api.get("/v1/me/data-export", headers=person.headers)).json()
    other = await sign_up(api)
    assert (await api.get(f"/v1/me/data-export/{mine[0]['id']}", headers=other)).status_code == 404
    assert (await api.get(f"/v1/me/data-export/{mine[0]['id']}/download", headers=other)).status_code == 404
    assert (await api.get("/v1/me/data-export", headers=other)).json() == []
    assert (await api.post("/v1/me/data-export")).status_code == 401
