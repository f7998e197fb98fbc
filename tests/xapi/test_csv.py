"""Completed training uploaded as CSV by an organisation's admin (issue 19, item 3)."""

from __future__ import annotations

from tests.organisations.helpers import account, join
from tests.xapi.helpers import employer, suggestions

CSV = {"Content-Type": "text/csv"}


async def _upload(client, org, text: str, headers=None):
    return await client.post(
        f"/v1/organisations/{org.organisation_id}/training-records",
        content=text.encode(),
        headers={**(headers or org.admin), **CSV},
    )


async def test_rows_become_suggestions_once(client):
    org = await employer(client)
    text = (
        "\ufeffEmail,title,date,duration_minutes,activity_type\n"
        f"{org.worker_email.upper()},Fire safety,2025-02-01,45,course\n"
        f"{org.worker_email},Manual handling,2025-02-03,,\n"
    )
    answer = await _upload(client, org, text)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"suggested": 2, "already_suggested": 0}
    shown = sorted(await suggestions(client, org.worker), key=lambda item: item["title"])
    assert [(s["title"], s["occurred_on"], s["duration_minutes"], s["activity_type"], s["source"]) for s in shown] == [
        ("Fire safety", "2025-02-01", 45, "course", "csv"),
        ("Manual handling", "2025-02-03", 0, "other", "csv"),
    ]
    rejected = await client.post(f"/v1/me/suggestions/{shown[0]['id']}/reject", headers=org.worker)
    assert rejected.status_code == 204
    again = await _upload(client, org, text)
    assert again.json() == {"suggested": 0, "already_suggested": 2}
    assert [s["title"] for s in await suggestions(client, org.worker)] == ["Manual handling"]


async def test_bad_rows_are_named_by_line_and_nothing_is_stored(client):
    org = await employer(client)
    text = (
        "email,title,date,duration_minutes,activity_type\n"
        f"{org.worker_email},Fire safety,2025-02-01,45,course\n"
        f"{org.worker_email},,2025-02-01,45,course\n"
        f"{org.worker_email},Dates,01/02/2025,45,course\n"
        f"{org.worker_email},Minutes,2025-02-01,an hour,course\n"
        f"{org.worker_email},Type,2025-02-01,10,webinar\n"
    )
    answer = await _upload(client, org, text)
    assert answer.status_code == 422
    assert [error["field"] for error in answer.json()["errors"]] == ["line 3", "line 4", "line 5", "line 6"]
    assert "title is empty" in answer.json()["errors"][0]["message"]
    assert await suggestions(client, org.worker) == []
    missing = await _upload(client, org, "email,name\n")
    assert missing.status_code == 400 and "missing column title" in missing.json()["detail"]


async def test_rows_about_people_who_have_not_agreed_are_refused(client):
    org = await employer(client)
    colleague, colleague_me = await account(client, "Cal Colleague")
    await join(client, org.admin, org.organisation_id, colleague, "worker")
    text = (
        f"email,title,date\n{org.worker_email},Fire safety,2025-02-01\n{colleague_me['email']},Fire safety,2025-02-01\n"
    )
    answer = await _upload(client, org, text)
    assert answer.status_code == 403
    assert answer.json()["errors"] == [
        {"field": "line 3", "message": f"{colleague_me['email']} has not agreed to suggestions"}
    ]
    assert await suggestions(client, org.worker) == []


async def test_only_the_organisations_admins_upload(client):
    org = await employer(client)
    text = f"email,title,date\n{org.worker_email},Fire safety,2025-02-01\n"
    assert (await _upload(client, org, text, headers=org.worker)).status_code == 403
    other = await employer(client, name="Hillside Homes")
    assert (await _upload(client, org, text, headers=other.admin)).status_code == 404
