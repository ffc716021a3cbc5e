"""iCalendar (RFC 5545) for the meeting calendar: one subscription feed and one file per meeting.

Non-public meetings appear with date and title only, like on the public site; cancelled ones
stay in the feed as STATUS:CANCELLED so that subscribed calendars update instead of keeping a
stale appointment.
"""

import datetime
import zoneinfo

import icalendar
from django.http import HttpResponse
from django.utils import timezone

from core import page_outputs
from core.site_url import absolute_url
from workgroup import visibility

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
DEFAULT_DURATION = datetime.timedelta(hours=2)
# How often subscribed calendars should fetch the feed again (RFC 7986; X-PUBLISHED-TTL for
# Outlook and Apple Calendar), so that a cancellation reaches them the same day.
REFRESH_INTERVAL = datetime.timedelta(hours=6)
UID_DOMAIN = "ag-digitalisierung.plauen.de"

STATUS = {"planned": "CONFIRMED", "held": "CONFIRMED", "cancelled": "CANCELLED"}


def meeting_event(meeting, request):
    event = icalendar.Event()
    # The page id never changes, so the UID stays stable across edits, moves and renames.
    event.add("uid", f"meeting-{meeting.pk}@{UID_DOMAIN}")
    event.add("dtstamp", timezone.now())
    event.add("summary", meeting.title)
    start = meeting.start.astimezone(BERLIN)
    event.add("dtstart", start)
    event.add("dtend", (meeting.end or meeting.start + DEFAULT_DURATION).astimezone(BERLIN))
    event.add("status", STATUS[meeting.status])
    if meeting.last_published_at:
        event.add("last-modified", meeting.last_published_at)
    # SEQUENCE must grow with every change that matters to attendees, e.g. a cancellation.
    event.add("sequence", meeting.live_revision_id or 0)
    event.add("url", absolute_url(meeting.get_url(request)))
    # A calendar is subscribed to and passed on: it carries what the public may see, whoever
    # downloads it.
    if visibility.meeting_details_visible(meeting):
        # A place still waiting for approval is left out, as on the meeting page.
        location = visibility.meeting_location(meeting)
        if location:
            event.add("location", ", ".join(filter(None, [str(location), location.address])))
        titles = [
            f"{item.number} {item.title}"
            for item in meeting.agenda_items.all()
            if visibility.agenda_item_visible(item)
        ]
        if titles:
            event.add("description", "Tagesordnung (öffentlicher Teil):\n" + "\n".join(titles))
    else:
        event.add("class", "CONFIDENTIAL")
    return event


@page_outputs.renders("calendar")
def calendar_response(meetings, request, filename, name, subscription=False):
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Stadt Plauen//AG Digitalisierung//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Berlin")
    if subscription:
        calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", icalendar.vDuration(REFRESH_INTERVAL))
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, request))
    if meetings:
        # The time zone's rules for the years the events fall in, rather than icalendar's
        # default of every transition from 1970 to 2038 in each file.
        years = [meeting.start.astimezone(BERLIN).year for meeting in meetings]
        calendar.add_missing_timezones(
            first_date=datetime.date(min(years), 1, 1),
            last_date=datetime.date(max(years) + 1, 1, 1),
        )
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    # A subscription is read by calendar programs; a single meeting is a file to import, which
    # a browser should save rather than show as text.
    disposition = "inline" if subscription else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
