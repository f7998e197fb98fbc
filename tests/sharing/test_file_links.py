"""Issue 15, item 2: the files of an entry shared with a supervisor, through short-lived links."""

from __future__ import annotations

from datetime import timedelta

from tests.attachments import corpus
from tests.organisations.helpers import account, share, team

FILES = {
    "photo.jpg": ("image/jpeg", corpus.jpeg(), "inline"),
    "certificate.pdf": ("application/pdf", corpus.pdf(), "inline"),
    "note.wav": ("audio/wav", corpus.wav(), "inline"),
}


async def _shared_team_with_files(client, names=tuple(FILES)):
    t = await team(client)
    for name in names:
        media_type, content, _ = FILES[name]
        uploaded = await client.post(
            f"/v1/evidence/{t.entry['id']}/attachments", files={"file": (name, content, media_type)}, headers=t.worker
        )
        assert uploaded.status_code == 201, uploaded.text
    made = await share(client, t.worker, t.organisation_id, supervisor_id=t.supervisor_id, entry_ids=[t.entry["id"]])
    return t, made


async def _shared_entry(client, t) -> dict:
    response = await client.get(f"/v1/shared/evidence/{t.entry['id']}", headers=t.supervisor)
    assert response.status_code == 200, response.text
    return response.json()


def _refused(response) -> None:
    assert response.status_code == 404, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_each_file_opens_in_place_through_its_link_without_a_token(client):
    t, _ = await _shared_team_with_files(client)
    shared = await _shared_entry(client, t)
    assert {item["filename"] for item in shared["attachments"]} == set(FILES)
    assert len(shared["content_hash"]) == 64
    for item in shared["attachments"]:
        disposition = FILES[item["filename"]][2]
        assert item["view_url"].startswith("/v1/shared/files/")
        opened = await client.get(item["view_url"])
        assert opened.status_code == 200, opened.text
        assert opened.headers["content-type"].startswith(item["media_type"])
        assert opened.headers["content-disposition"].startswith(f"{disposition}; filename=")
        assert opened.headers["cache-control"] == "private, no-store"
        assert opened.headers["x-content-type-options"] == "nosniff"
        assert "sandbox" in opened.headers["content-security-policy"]
        assert int(opened.headers["content-length"]) == len(opened.content) > 0
    photo = next(item for item in shared["attachments"] if item["filename"] == "photo.jpg")
    assert (await client.get(photo["view_url"])).content[:2] == b"\xff\xd8"


async def test_the_content_route_stays_the_owners(client):
    t, _ = await _shared_team_with_files(client, ("photo.jpg",))
    [item] = (await _shared_entry(client, t))["attachments"]
    _refused(await client.get(f"/v1/attachments/{item['id']}/content", headers=t.supervisor))


async def test_a_link_stops_working_once_the_share_is_revoked(client):
    t, made = await _shared_team_with_files(client, ("certificate.pdf",))
    [item] = (await _shared_entry(client, t))["attachments"]
    assert (await client.get(item["view_url"])).status_code == 200
    assert (await client.delete(f"/v1/shares/{made['id']}", headers=t.worker)).status_code == 204
    _refused(await client.get(item["view_url"]))


async def test_a_link_stops_working_once_the_file_leaves_the_entry(client):
    t, _ = await _shared_team_with_files(client, ("photo.jpg",))
    [item] = (await _shared_entry(client, t))["attachments"]
    unlinked = await client.delete(f"/v1/evidence/{t.entry['id']}/attachments/{item['id']}", headers=t.worker)
    assert unlinked.status_code == 204
    _refused(await client.get(item["view_url"]))


async def test_an_altered_link_is_refused(client):
    t, _ = await _shared_team_with_files(client, ("photo.jpg",))
    [item] = (await _shared_entry(client, t))["attachments"]
    payload, signature = item["view_url"].rsplit("/", 1)[1].split(".")
    flipped = ("A" if payload[5] != "A" else "B").join((payload[:5], payload[6:]))
    for token in (f"{flipped}.{signature}", f"{payload}.{signature[:-2]}AA", "nonsense", f"{payload}", "a" * 300):
        _refused(await client.get(f"/v1/shared/files/{token}"))


async def test_a_link_follows_its_viewers_access(client):
    """The link names its viewer: once they no longer supervise the worker, it stops working, while
    an organisation share keeps the entry visible to others there."""
    t, _ = await _shared_team_with_files(client, ("photo.jpg",))
    await share(client, t.worker, t.organisation_id, entry_ids=[t.entry["id"]])
    [item] = (await _shared_entry(client, t))["attachments"]
    assert (await client.post(f"/v1/organisations/{t.organisation_id}/leave", headers=t.supervisor)).status_code == 204
    _refused(await client.get(item["view_url"]))
    admin_view = await client.get(f"/v1/shared/evidence/{t.entry['id']}", headers=t.admin)
    assert admin_view.status_code == 200
    assert (await client.get(admin_view.json()["attachments"][0]["view_url"])).status_code == 200
    stranger, _ = await account(client, "Sol Stranger")
    assert (await client.get(f"/v1/shared/evidence/{t.entry['id']}", headers=stranger)).status_code == 404


async def test_an_expired_link_is_refused(client_for, make_settings):
    client = await client_for(make_settings(shared_file_link_ttl=timedelta(seconds=-1)))
    t, _ = await _shared_team_with_files(client, ("photo.jpg",))
    [item] = (await _shared_entry(client, t))["attachments"]
    _refused(await client.get(item["view_url"]))
