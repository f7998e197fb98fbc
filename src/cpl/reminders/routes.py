"""HTTP routes: my reminder settings, my calendar feed, and the feed itself (public, by its secret address)."""

from __future__ import annotations

from litestar import Controller, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from cpl import audit
from cpl.accounts.auth import PUBLIC
from cpl.errors import NotFound
from cpl.kernel.principal import AuthedRequest
from cpl.problems import problem_responses
from cpl.reminders import calendar, preferences
from cpl.reminders.schemas import CalendarFeedOut, ReminderSettingsIn, ReminderSettingsOut
from cpl.settings import Settings

#: RFC 5545 §8.1's media type. ``private``: the feed is one person's (a shared cache must not keep it).
CALENDAR_MEDIA_TYPE = "text/calendar"
CALENDAR_HEADERS = {"Cache-Control": "private, max-age=300"}


class ReminderSettingsController(Controller):
    path = "/v1/me/reminder-settings"
    tags = ["reminders"]

    @get("", operation_id="getMyReminderSettings", responses=problem_responses(401))
    async def show(self, request: AuthedRequest) -> ReminderSettingsOut:
        """When and how I am reminded of my registrations' due dates (the defaults until I change them)."""
        return await preferences.my_settings(request.user.account_id)

    @put("", operation_id="putMyReminderSettings", responses=problem_responses(400, 401, 422))
    async def replace(self, request: AuthedRequest, data: JSONBody[ReminderSettingsIn]) -> ReminderSettingsOut:
        """Replace my reminder settings: days before a due date, channels (e-mail, in the app), time
        zone and quiet hours. A time zone must be an IANA name (``Europe/London``)."""
        return await preferences.put_settings(request.user.account_id, data)


class CalendarFeedController(Controller):
    path = "/v1/me/calendar-feed"
    tags = ["reminders"]

    @post("", operation_id="createMyCalendarFeed", status_code=201, responses=problem_responses(401))
    async def make(self, request: AuthedRequest, settings: NamedDependency[Settings]) -> CalendarFeedOut:
        """Make my secret calendar address (iCalendar), replacing any earlier one, which stops working.
        The address is shown only now: cpl keeps only a hash of it."""
        made = await calendar.make_feed(settings, request.user.account_id)
        await audit.record(request, "calendar_feed.created", subject=request.user.account_id, object="calendar_feed")
        return made

    @delete("", operation_id="revokeMyCalendarFeed", status_code=204, responses=problem_responses(401, 404))
    async def revoke(self, request: AuthedRequest) -> None:
        """Revoke my calendar address: calendars subscribed to it get 404 from now on."""
        await calendar.revoke_feed(request.user.account_id)
        await audit.record(request, "calendar_feed.revoked", subject=request.user.account_id, object="calendar_feed")


class CalendarController(Controller):
    path = "/calendar"
    tags = ["reminders"]

    @get(
        "/{feed:str}",
        operation_id="getCalendarFeed",
        opt={PUBLIC: True},
        media_type=CALENDAR_MEDIA_TYPE,
        responses=problem_responses(404, 422),
    )
    async def feed(self, feed: FromPath[str], settings: NamedDependency[Settings]) -> Response[bytes]:
        """A person's registration due dates and reminder days as an iCalendar feed (RFC 5545), at the
        secret address ``POST /v1/me/calendar-feed`` made (``/calendar/<token>.ics``); 404 once revoked."""
        token = feed.removesuffix(".ics")
        if token == feed or not token:
            raise NotFound("No calendar feed at this address.")
        body = await calendar.feed_calendar(settings, token)
        return Response(body, media_type=CALENDAR_MEDIA_TYPE, headers=CALENDAR_HEADERS)
