"""The calendar feed: a secret iCalendar address, parsed back with icalendar; replaced and revoked."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar

from cpl.audit.tables import AuditEvent
from tests.factories import sign_up
from tests.reminders.helpers import TODAY, set_reminders, sssc_due_in


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


async def _events(client, url: str) -> dict[str, dict]:
    response = await client.get(_path(url))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["cache-control"].startswith("private")
    calendar = Calendar.from_ical(response.content)
    found = {}
    for event in calendar.walk("VEVENT"):
        found[str(event["uid"])] = {
            "start": event.decoded("dtstart"),
            "end": event.decoded("dtend"),
            "summary": str(event["summary"]),
            "stamp": event.decoded("dtstamp"),
        }
    return found


async def test_the_feed_lists_due_dates_and_reminder_days_as_all_day_events_with_stable_uids(client, settings):
    worker = await sign_up(client)
    await set_reminders(client, worker, days_before=[60, 14])
    made = await sssc_due_in(client, worker, 30, hours_done=10)
    response = await client.post("/v1/me/calendar-feed", headers=worker)
    assert response.status_code == 201, response.text
    feed = response.json()
    assert feed["url"].startswith(settings.public_base_url.rstrip("/") + "/calendar/") and feed["url"].endswith(".ics")
    assert feed["webcal_url"] == "webcal://" + feed["url"].split("://", 1)[1]
    events = await _events(client, feed["url"])
    due = TODAY + timedelta(days=30)
    assert set(events) == {f"{made['id']}-{due}@cpl", f"{made['id']}-{due}-14d@cpl"}  # 60 days before has passed
    deadline = events[f"{made['id']}-{due}@cpl"]
    assert (deadline["start"], deadline["end"]) == (due, due + timedelta(days=1))
    assert "due" in deadline["summary"]
    assert events[f"{made['id']}-{due}-14d@cpl"]["start"] == due - timedelta(days=14)
    assert await _events(client, feed["url"]) == events  # same UIDs and DTSTAMPs on every fetch


async def test_a_new_address_replaces_the_old_and_a_revoked_one_answers_404(client):
    worker = await sign_up(client)
    await sssc_due_in(client, worker, 30, hours_done=10)
    first = (await client.post("/v1/me/calendar-feed", headers=worker)).json()["url"]
    second = (await client.post("/v1/me/calendar-feed", headers=worker)).json()["url"]
    assert (await client.get(_path(first))).status_code == 404
    assert (await client.get(_path(second))).status_code == 200
    assert (await client.delete("/v1/me/calendar-feed", headers=worker)).status_code == 204
    gone = await client.get(_path(second))
    assert gone.status_code == 404
    assert gone.headers["content-type"].startswith("application/problem+json")
    assert (await client.delete("/v1/me/calendar-feed", headers=worker)).status_code == 404
    assert (await client.get(_path(second).removesuffix(".ics"))).status_code == 404
    assert (await client.get("/calendar/not-a-token.ics")).status_code == 404


async def test_making_and_revoking_the_feed_are_audited(client):
    worker = await sign_up(client)
    await client.post("/v1/me/calendar-feed", headers=worker)
    await client.delete("/v1/me/calendar-feed", headers=worker)
    me = (await client.get("/v1/me", headers=worker)).json()["id"]
    rows = await AuditEvent.select(AuditEvent.action, AuditEvent.actor, AuditEvent.subject).where(
        AuditEvent.action.like("calendar_feed.%")
    )
    assert [(row["action"], str(row["actor"]), str(row["subject"])) for row in rows] == [
        ("calendar_feed.created", me, me),
        ("calendar_feed.revoked", me, me),
    ]
