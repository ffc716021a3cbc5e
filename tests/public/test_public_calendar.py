"""The meeting calendar, the meeting page and the iCalendar feeds (RFC 5545)."""

import datetime
import zoneinfo

import icalendar
import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone

from tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    DocumentFactory,
    LocationFactory,
    MeetingIndexPageFactory,
    MeetingPageFactory,
    MemberFactory,
    UserFactory,
)
from workgroup.editorial.groups import MEMBERS_GROUP
from workgroup.models import MeetingPage

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
Status = MeetingPage.Status


def berlin(*args):
    return datetime.datetime(*args, tzinfo=BERLIN)


@pytest.fixture
def calendar(site_root):
    index = MeetingIndexPageFactory(parent=site_root)
    location = LocationFactory(
        description="Rathaus Plauen", room="Ratssaal", street_address="Unterer Graben 1"
    )
    now = timezone.now()
    meetings = {
        "open": MeetingPageFactory(
            parent=index,
            title="5. Sitzung",
            slug="5-sitzung",
            start=berlin(2024, 3, 12, 17, 0),
            end=berlin(2024, 3, 12, 19, 0),
            status=Status.HELD,
            location=location,
            is_public=True,
        ),
        "closed": MeetingPageFactory(
            parent=index,
            title="6. Sitzung",
            slug="6-sitzung",
            start=berlin(2023, 11, 21, 17, 0),
            end=None,
            status=Status.HELD,
            location=location,
            is_public=False,
        ),
        "next": MeetingPageFactory(
            parent=index,
            title="7. Sitzung",
            slug="7-sitzung",
            start=now + datetime.timedelta(days=7),
            location=location,
        ),
        "cancelled": MeetingPageFactory(
            parent=index,
            title="8. Sitzung",
            slug="8-sitzung",
            start=now + datetime.timedelta(days=30),
            status=Status.CANCELLED,
        ),
    }
    AgendaItemFactory(
        meeting=meetings["open"],
        sort_order=0,
        number="TOP 1",
        title="Breitband im Stadtgebiet",
        is_public=True,
        decision="Zur Kenntnis genommen.",
    )
    AgendaItemFactory(
        meeting=meetings["open"],
        sort_order=1,
        number="TOP 2",
        title="Vergabe Rechenzentrum",
        is_public=False,
        decision="Zuschlag an Anbieter B.",
    )
    AgendaItemFactory(
        meeting=meetings["closed"],
        sort_order=0,
        number="TOP 1",
        title="Personalplanung IT",
        is_public=True,
    )
    MeetingPageFactory(parent=index, title="Geplante Entwurfssitzung", live=False)
    return {"index": index, **meetings}


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def events_by_summary(cal):
    return {str(event["SUMMARY"]): event for event in cal.walk("VEVENT")}


# --- the calendar page --------------------------------------------------------------------------


def test_calendar_lists_upcoming_and_past_meetings_by_year(client, calendar):
    response = client.get(calendar["index"].url)
    soup = BeautifulSoup(response.content, "html.parser")

    upcoming = soup.find(id="upcoming-heading").parent
    past = soup.find(id="past-heading").parent
    assert [a.get_text() for a in upcoming.select(".meeting-list a")] == [
        "7. Sitzung",
        "8. Sitzung",
    ]
    assert [h3.get_text() for h3 in past.find_all("h3")] == ["2024", "2023"]
    assert [a.get_text() for a in past.select(".meeting-list a")] == ["5. Sitzung", "6. Sitzung"]
    assert "Geplante Entwurfssitzung" not in response.content.decode()


def test_calendar_marks_cancelled_and_non_public_meetings(client, calendar):
    soup = BeautifulSoup(client.get(calendar["index"].url).content, "html.parser")
    items = {li.a.get_text(): li for li in soup.select(".meeting-list__item")}

    assert "is-cancelled" in items["8. Sitzung"]["class"]
    assert "abgesagt" in items["8. Sitzung"].get_text()
    assert "abgesagt" not in items["7. Sitzung"].get_text()
    assert "nicht öffentlich" in items["6. Sitzung"].get_text()
    assert "nicht öffentlich" not in items["5. Sitzung"].get_text()


def test_calendar_links_the_subscription_feed(client, calendar):
    soup = BeautifulSoup(client.get(calendar["index"].url).content, "html.parser")

    feed_url = calendar["index"].url + "kalender/"
    assert soup.find("a", href=feed_url)
    # webcal:// opens the calendar program's subscription dialog.
    assert soup.find("a", href="webcal://testserver" + feed_url)
    assert soup.find("link", rel="alternate", type="text/calendar", href=feed_url)


# --- the meeting page ---------------------------------------------------------------------------


def test_meeting_page_shows_time_place_agenda_attendance_and_documents(client, calendar):
    meeting = calendar["open"]
    AttendanceFactory(meeting=meeting, member=MemberFactory(name="Dr. Anna Beispiel"))
    meeting.invitation = DocumentFactory(title="Einladung zur 5. Sitzung")
    meeting.save()

    content = client.get(meeting.url).content.decode()

    for text in (
        "Dienstag, 12.03.2024, 17:00 Uhr",
        "19:00 Uhr",
        "Rathaus Plauen, Ratssaal",
        "Unterer Graben 1, 08523 Plauen",
        "Breitband im Stadtgebiet",
        "Zur Kenntnis genommen.",
        "Dr. Anna Beispiel",
        "Einladung zur 5. Sitzung",
        meeting.url + "kalender/",
    ):
        assert text in content, text


def agenda_rows(client, meeting):
    soup = BeautifulSoup(client.get(meeting.url).content, "html.parser")
    table = soup.find(id="agenda-heading").find_next("table")
    assert [th.get_text() for th in table.select("thead th")] == [
        "TOP",
        "Gegenstand",
        "Beschluss / Ergebnis",
    ]
    return [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in table.tbody("tr")]


def test_non_public_agenda_item_is_a_placeholder_for_the_public(client, calendar):
    assert agenda_rows(client, calendar["open"]) == [
        ["TOP 1", "Breitband im Stadtgebiet", "Zur Kenntnis genommen."],
        ["TOP 2", "nicht öffentlicher Teil"],
    ]


def test_non_public_agenda_item_in_full_for_ag_members(calendar):
    member = Client()
    member.force_login(UserFactory(groups=[MEMBERS_GROUP]))

    rows = agenda_rows(member, calendar["open"])

    assert rows[1] == [
        "TOP 2",
        "Vergabe Rechenzentrum nicht öffentlich – nur für Mitglieder der Arbeitsgruppe, "
        "nicht weitergeben",
        "Zuschlag an Anbieter B.",
    ]


def test_closed_meeting_shows_date_title_and_place_only(client, calendar):
    meeting = calendar["closed"]
    meeting.body = [("paragraph", "<p>Treffpunkt am Seiteneingang.</p>")]
    meeting.save()

    content = client.get(meeting.url).content.decode()

    assert "<h1>6. Sitzung</h1>" in content
    assert "21.11.2023, 17:00 Uhr" in content
    assert "Rathaus Plauen, Ratssaal" in content
    assert "Personalplanung IT" not in content
    assert "Treffpunkt am Seiteneingang." not in content
    assert 'id="attendance-heading"' not in content


def test_cancelled_meeting_page_says_so(client, calendar):
    content = client.get(calendar["cancelled"].url).content.decode()

    assert "Diese Sitzung ist abgesagt." in content
    assert "abgesagt" in content


# --- iCalendar ----------------------------------------------------------------------------------


def test_subscription_feed_parses_and_holds_every_published_meeting(client, calendar):
    cal = parse(client.get(calendar["index"].url + "kalender/"))

    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"])
    assert str(cal["X-WR-TIMEZONE"]) == "Europe/Berlin"
    # RFC 5546 allows METHOD:PUBLISH only with an ORGANIZER, which would name a person or an
    # address; a plain RFC 5545 calendar needs neither.
    assert "METHOD" not in cal and "ORGANIZER" not in cal.to_ical().decode()
    events = events_by_summary(cal)
    assert set(events) == {"5. Sitzung", "6. Sitzung", "7. Sitzung", "8. Sitzung"}
    timezones = [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")]
    assert timezones == ["Europe/Berlin"]

    event = events["5. Sitzung"]
    assert event.decoded("DTSTART") == berlin(2024, 3, 12, 17, 0)
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event.decoded("DTEND") == berlin(2024, 3, 12, 19, 0)
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "Rathaus Plauen, Ratssaal" in str(event["LOCATION"])
    assert str(event["URL"]) == "http://testserver" + calendar["open"].url
    assert "TOP 1 Breitband im Stadtgebiet" in str(event["DESCRIPTION"])
    assert "Vergabe Rechenzentrum" not in str(event["DESCRIPTION"])


def test_cancelled_meeting_is_status_cancelled(client, calendar):
    events = events_by_summary(parse(client.get(calendar["index"].url + "kalender/")))

    assert str(events["8. Sitzung"]["STATUS"]) == "CANCELLED"
    assert str(events["7. Sitzung"]["STATUS"]) == "CONFIRMED"


def test_non_public_meeting_has_date_and_title_only(client, calendar):
    content = client.get(calendar["index"].url + "kalender/").content.decode()
    event = events_by_summary(icalendar.Calendar.from_ical(content))["6. Sitzung"]

    assert event.decoded("DTSTART") == berlin(2023, 11, 21, 17, 0)
    # Without an end, the event lasts two hours rather than a whole day.
    assert event.decoded("DTEND") == berlin(2023, 11, 21, 19, 0)
    assert "DESCRIPTION" not in event
    assert "LOCATION" not in event
    assert str(event["CLASS"]) == "CONFIDENTIAL"
    assert "Personalplanung IT" not in content


def test_uids_are_stable_and_unique(client, calendar):
    url = calendar["index"].url + "kalender/"
    first = {str(e["SUMMARY"]): str(e["UID"]) for e in parse(client.get(url)).walk("VEVENT")}
    meeting = calendar["next"]
    meeting.title = "7. Sitzung (neuer Titel)"
    meeting.start += datetime.timedelta(hours=1)
    meeting.save_revision().publish()

    second = {str(e["SUMMARY"]): str(e["UID"]) for e in parse(client.get(url)).walk("VEVENT")}

    assert len(set(first.values())) == 4
    assert second["7. Sitzung (neuer Titel)"] == first["7. Sitzung"]
    assert all(uid.endswith("@ag-digitalisierung.plauen.de") for uid in first.values())


def test_single_meeting_file_holds_that_meeting_with_the_feeds_uid(client, calendar):
    feed = events_by_summary(parse(client.get(calendar["index"].url + "kalender/")))

    response = client.get(calendar["open"].url + "kalender/")
    events = list(parse(response).walk("VEVENT"))

    assert [str(e["SUMMARY"]) for e in events] == ["5. Sitzung"]
    assert str(events[0]["UID"]) == str(feed["5. Sitzung"]["UID"])
    # A file to import, saved by the browser rather than shown as text.
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".ics" in response["Content-Disposition"]


def test_unpublished_meeting_is_in_no_feed(client, calendar):
    content = client.get(calendar["index"].url + "kalender/").content.decode()

    assert "Geplante Entwurfssitzung" not in content


def test_calendar_groups_by_the_year_in_berlin(client, calendar):
    # 23:30 UTC on New Year's Eve is already the new year in Plauen.
    MeetingPageFactory(
        parent=calendar["index"],
        title="Neujahrssitzung",
        start=datetime.datetime(2023, 12, 31, 23, 30, tzinfo=datetime.UTC),
        status=Status.HELD,
    )
    soup = BeautifulSoup(client.get(calendar["index"].url).content, "html.parser")

    heading = soup.find("a", string="Neujahrssitzung").find_previous("h3")
    assert heading.get_text() == "2024"


def test_represented_member_names_the_substitute_once(client, calendar):
    representative = MemberFactory(name="Bernd Muster", role="representative", name_is_public=True)
    deputy = MemberFactory(
        name="Dora Deputy", role="deputy", faction=representative.faction, name_is_public=True
    )
    AttendanceFactory(
        meeting=calendar["open"], member=representative, status="represented", substitute=deputy
    )
    soup = BeautifulSoup(client.get(calendar["open"].url).content, "html.parser")

    row = soup.find("td", string="Bernd Muster").find_parent("tr")
    assert row.find_all("td")[-1].get_text(" ", strip=True) == "vertreten durch Dora Deputy"


def test_subscription_feed_asks_calendars_to_refresh_and_the_single_file_does_not(client, calendar):
    feed = parse(client.get(calendar["index"].url + "kalender/"))
    single = parse(client.get(calendar["open"].url + "kalender/"))

    assert feed["REFRESH-INTERVAL"].to_ical() == b"PT6H"
    assert feed["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert feed["X-PUBLISHED-TTL"].to_ical() == b"PT6H"
    assert "REFRESH-INTERVAL" not in single and "X-PUBLISHED-TTL" not in single


def transition_years(timezone_):
    """The years in which a VTIMEZONE names an offset change (DTSTART and RDATE)."""
    years = set()
    for component in timezone_.subcomponents:
        years.add(component.decoded("DTSTART").year)
        rdates = component.get("RDATE", [])
        for rdate in rdates if isinstance(rdates, list) else [rdates]:
            years.update(moment.dt.year for moment in rdate.dts)
    return years


def test_time_zone_rules_cover_the_years_of_the_events_and_no_others(client, calendar):
    response = client.get(calendar["open"].url + "kalender/")
    [timezone_] = parse(response).walk("VTIMEZONE")

    assert transition_years(timezone_) == {2024}, "a 2024 meeting needs 2024's rules only"
    summer = [c for c in timezone_.subcomponents if c.name == "DAYLIGHT"]
    assert [c.decoded("DTSTART") for c in summer] == [datetime.datetime(2024, 3, 31, 3, 0)]

    [feed_timezone] = parse(client.get(calendar["index"].url + "kalender/")).walk("VTIMEZONE")
    upcoming = calendar["cancelled"].start.astimezone(BERLIN).year
    assert {2023, 2024, upcoming} <= transition_years(feed_timezone)
    assert min(transition_years(feed_timezone)) == 2023


def test_a_planned_meeting_shows_no_empty_attendance_table(client, calendar):
    """Attendance is recorded when a meeting is held; before, the page shows none, only the
    invited guests if there are any."""
    meeting = calendar["next"]
    meeting.invited_guests = [MemberFactory(name="Kreisschülerrat", name_is_public=True)]
    meeting.save()

    content = client.get(meeting.url).content.decode()

    assert 'id="attendance-heading"' not in content
    assert "Keine Anwesenheit erfasst" not in content
    assert 'id="guests-heading"' in content and "Kreisschülerrat" in content
