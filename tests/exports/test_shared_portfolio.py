"""A share link in a browser (issue 15, item 3): the passcode form, then the export as a readable
portfolio whose file links work only for the browser that entered the passcode. API clients keep
the file and problem documents they always got (tests/throttling/test_share_passcodes.py)."""

from __future__ import annotations

import hashlib
import html
from datetime import UTC, datetime, timedelta

from cpl.exports.tables import ExportShare
from tests.exports.helpers import EXPORT_SETTINGS, export_file, worker_record
from tests.factories import entry_body, put_entry, sign_up
from tests.organisations.helpers import account, join, organisation, share, supervise

PASSCODE = "open sesame"
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


async def _share(client, owner: dict, export_id: str, passcode: str | None = PASSCODE) -> str:
    body = {"label": "Care Inspectorate", **({"passcode": passcode} if passcode else {})}
    response = await client.post(f"/v1/exports/{export_id}/shares", json=body, headers=owner)
    assert response.status_code == 201, response.text
    return response.json()["url"].removeprefix(EXPORT_SETTINGS["public_base_url"])


async def _opened(client, path: str, passcode: str = PASSCODE) -> str:
    """POST the passcode as the form does; the pass cookie's value."""
    opened = await client.post(path, data={"passcode": passcode}, headers=BROWSER)
    assert opened.status_code == 303 and opened.headers["location"] == path, opened.text
    cookie = opened.headers["set-cookie"]
    assert f"Path={path}" in cookie and "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
    return opened.cookies["cpl_share"]


async def test_a_browser_enters_the_passcode_and_reads_the_portfolio_with_its_files(client_for, make_settings):
    client = await client_for(make_settings(**EXPORT_SETTINGS))
    owner = await sign_up(client)
    made = await worker_record(client, owner)
    done, data = await export_file(client, owner, "json")
    path = await _share(client, owner, done["id"])

    asked = await client.get(path, headers=BROWSER)
    assert asked.status_code == 403 and 'name="passcode"' in asked.text and "wrong" not in asked.text
    wrong = await client.post(path, data={"passcode": "a wrong guess"}, headers=BROWSER)
    assert wrong.status_code == 403 and "The passcode is wrong." in wrong.text
    await _opened(client, path)

    page = await client.get(path, headers=BROWSER)
    assert page.status_code == 200 and page.headers["cache-control"] == "private, no-store"
    text = html.unescape(page.text)
    assert "Test Worker" in text and '=HYPERLINK("http://evil")' in text and "Reflective account" in text
    assert made["registration"]["registration_number"] in text and "Requirements" in text
    assert '=HYPERLINK("http://evil")' not in page.text  # escaped, never markup
    text_file, picture = made["files"]
    assert f'<img src="{path}/files/{picture["id"]}"' in page.text

    image = await client.get(f"{path}/files/{picture['id']}")
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert image.headers["cache-control"] == "private, no-store" and image.content.startswith(b"\x89PNG")
    shown = await client.get(f"{path}/files/{text_file['id']}")
    assert shown.status_code == 200 and shown.content == b"certificate of attendance\n"
    assert shown.headers["content-disposition"].startswith("inline")
    saved = await client.get(f"{path}/files/{text_file['id']}", params={"download": "true"})
    assert saved.headers["content-disposition"].startswith("attachment")
    whole = await client.get(f"{path}/export")
    assert whole.status_code == 200 and whole.content == data


async def test_file_links_refuse_a_browser_without_the_pass_or_with_another_links_pass(client_for, make_settings):
    client = await client_for(make_settings(**EXPORT_SETTINGS))
    owner = await sign_up(client)
    made = await worker_record(client, owner)
    done, _ = await export_file(client, owner, "json")
    first, second = await _share(client, owner, done["id"]), await _share(client, owner, done["id"])
    picture = made["files"][1]["id"]

    nobody = await client.get(f"{first}/files/{picture}")
    assert nobody.status_code == 403 and nobody.headers["content-type"].startswith("application/problem+json")
    assert (await client.get(f"{first}/export")).status_code == 403
    second_pass = await _opened(client, second)
    client.cookies.clear()
    other = {"Cookie": f"cpl_share={second_pass}"}
    assert (await client.get(f"{first}/files/{picture}", headers=other)).status_code == 403
    assert (await client.get(f"{second}/files/{picture}", headers=other)).status_code == 200
    forged = {"Cookie": f"cpl_share={second_pass[:-1]}{'0' if second_pass[-1] != '0' else '1'}"}
    assert (await client.get(f"{second}/files/{picture}", headers=forged)).status_code == 403
    not_carried = "00000000-0000-4000-8000-000000000000"
    assert (await client.get(f"{second}/files/{not_carried}", headers=other)).status_code == 404


async def test_a_revoked_or_unknown_link_shows_a_page_that_says_so(client_for, make_settings):
    client = await client_for(make_settings(**EXPORT_SETTINGS))
    owner = await sign_up(client)
    await put_entry(client, owner)
    done, _ = await export_file(client, owner, "json")
    path = await _share(client, owner, done["id"], passcode=None)
    opened = await client.get(path, headers=BROWSER)  # no passcode: straight in, with a pass
    assert opened.status_code == 303
    assert (await client.get(path, headers=BROWSER)).status_code == 200
    [listed] = (await client.get(f"/v1/exports/{done['id']}/shares", headers=owner)).json()
    revoked = await client.delete(f"/v1/exports/{done['id']}/shares/{listed['id']}", headers=owner)
    assert revoked.status_code == 204
    gone = await client.get(path, headers=BROWSER)
    assert gone.status_code == 410 and "This share link has been withdrawn." in gone.text
    assert gone.headers["content-type"].startswith("text/html")
    assert (await client.get(f"{path}/export")).status_code == 410
    expiring = await _share(client, owner, done["id"], passcode=None)
    assert (await client.get(expiring, headers=BROWSER)).status_code == 303
    await ExportShare.update({ExportShare.expires_at: datetime.now(UTC) - timedelta(seconds=1)}).where(
        ExportShare.token_hash == hashlib.sha256(expiring.rsplit("/", 1)[1].encode()).hexdigest()
    )
    expired = await client.get(expiring, headers=BROWSER)
    assert expired.status_code == 410 and "This share link has expired; ask for a new one." in expired.text
    unknown = await client.get("/shared/no-such-link", headers=BROWSER)
    assert unknown.status_code == 404 and "No share link like this exists." in unknown.text


async def test_verifications_show_who_verified_and_turn_stale_when_the_entry_changes(client_for, make_settings):
    client = await client_for(make_settings(**EXPORT_SETTINGS))
    worker, worker_me = await account(client, "Wren Worker")
    supervisor, supervisor_me = await account(client, "Dr Jane Smith")
    lothian = await organisation(client, worker, name="NHS Lothian")
    await join(client, worker, lothian, worker, "worker")
    await join(client, worker, lothian, supervisor, "supervisor")
    await supervise(client, worker, lothian, supervisor_me["id"], worker_me["id"])
    entry = await put_entry(client, worker, title="Sepsis recognition")
    await share(client, worker, lothian, supervisor_id=supervisor_me["id"], entry_ids=[entry["id"]])
    review = {"entry_id": entry["id"], "reviewer_id": supervisor_me["id"], "organisation_id": lothian}
    submitted = await client.post("/v1/reviews", json=review, headers=worker)
    verified = await client.post(
        f"/v1/reviews/{submitted.json()['id']}/verify",
        json={"statement": "Excellent practice.", "role": "Consultant", "registration_number": "12A3456E"},
        headers=supervisor,
    )
    assert verified.status_code == 200, verified.text
    done, _ = await export_file(client, worker, "json")
    path = await _share(client, worker, done["id"])
    await _opened(client, path)

    page = html.unescape((await client.get(path, headers=BROWSER)).text)
    assert "Dr Jane Smith (Consultant; NHS Lothian, self-declared organisation; registration NMC 12A3456E" in page
    assert "current" in page and "stale" not in page and "Excellent practice." in page
    edited = await client.put(
        f"/v1/evidence/{entry['id']}", json=entry_body(title="Sepsis (edited)"), headers={**worker, "If-Match": '"1"'}
    )
    assert edited.status_code == 200, edited.text
    page = html.unescape((await client.get(path, headers=BROWSER)).text)
    assert "stale: the entry has changed since it was verified" in page
