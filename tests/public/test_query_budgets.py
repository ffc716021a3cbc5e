"""Query budgets: every public page, feed and export makes as many SQL queries with 200 items as
with 10, and at most MAX_QUERIES, so that its cost does not grow with the data."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from workgroup.models import (
    AgendaItem,
    Attendance,
    Consultation,
    Member,
    ResultAttachment,
    ResultPage,
)

MAX_QUERIES = 15
SMALL, LARGE = 10, 200
KINDS = list(ResultPage.Kind)


@pytest.fixture(autouse=True)
def page_cache_off(settings):
    # Every request must reach the database to be measured.
    settings.PAGE_CACHE_SECONDS = 0


class Site:
    """The site, grown step by step: each item is a result with its Beratungsfolge, topic areas
    and attachment, a meeting with agenda and attendance, and a member."""

    def __init__(self, home):
        self.home = home
        self.topic_index = factories.TopicAreaIndexPageFactory(parent=home)
        self.topics = [
            factories.TopicAreaPageFactory(parent=self.topic_index, title=f"Themenfeld {n}")
            for n in range(3)
        ]
        self.subtopic = factories.TopicAreaPageFactory(parent=self.topics[0], title="Unterthema")
        self.register = factories.ResultIndexPageFactory(parent=home)
        self.meeting_index = factories.MeetingIndexPageFactory(parent=home)
        self.report_index = factories.ReportIndexPageFactory(parent=home)
        self.report = factories.ReportPageFactory(parent=self.report_index, period_year=2024)
        self.members_page = factories.MembersPageFactory(parent=home)
        self.standard_page = factories.StandardPageFactory(parent=home, title="Impressum")
        self.bodies = [factories.CouncilBodyFactory() for _ in range(3)]
        self.document = factories.DocumentFactory()
        self.faction = factories.FactionFactory()
        self.representative = factories.MemberFactory(
            role=Member.Role.REPRESENTATIVE, faction=self.faction
        )
        self.items = 0
        self.meetings = []
        self.results = []

    def grow_to(self, count):
        while self.items < count:
            self.add_item(self.items)
            self.items += 1

    def add_item(self, n):
        day = datetime.date(2024, 1, 1) + datetime.timedelta(days=n % 360)
        # Alternately past and upcoming, so that every listing has both from the start.
        start = timezone.now() + datetime.timedelta(days=(n + 1) * (1 if n % 2 else -1))
        meeting = factories.MeetingPageFactory(
            parent=self.meeting_index,
            title=f"Sitzung {n}",
            start=start,
            end=start + datetime.timedelta(hours=2),
            status="held" if n % 2 else "planned",
            is_public=n % 5 != 0,
            invitation=self.document,
        )
        guest = factories.MemberFactory(
            name=f"Gast {n}", role=Member.Role.GUEST, guest_topic=self.topics[n % 3]
        )
        deputy = factories.MemberFactory(
            name=f"Stellvertretung {n}", role=Member.Role.DEPUTY, faction=self.faction
        )
        meeting.invited_guests.add(guest)
        meeting.save()
        result = factories.ResultPageFactory(
            parent=self.register,
            title=f"Ergebnis {n}",
            kind=KINDS[n % len(KINDS)],
            result_date=day,
            summary=f"Zusammenfassung zum Ergebnis {n} über Digitalisierung.",
        )
        result.topic_areas.add(self.topics[n % 3], self.subtopic)
        result.source_meetings.add(meeting)
        result.save()
        Consultation.objects.bulk_create(
            Consultation(
                result=result,
                body=body,
                date=day + datetime.timedelta(days=14 * (i + 1)),
                role="decision" if i == 2 else "preliminary",
                is_public=i != 1,
                sort_order=i,
            )
            for i, body in enumerate(self.bodies)
        )
        ResultAttachment.objects.create(result=result, document=self.document, sort_order=0)
        AgendaItem.objects.bulk_create(
            AgendaItem(
                meeting=meeting,
                number=f"TOP {i + 1}",
                title=f"Punkt {i + 1}",
                is_public=i != 2,
                topic_area=self.topics[i % 3],
                result=result,
                sort_order=i,
            )
            for i in range(3)
        )
        Attendance.objects.bulk_create(
            [
                Attendance(meeting=meeting, member=self.representative, sort_order=0),
                Attendance(
                    meeting=meeting,
                    member=self.representative,
                    status="represented",
                    substitute=deputy,
                    sort_order=1,
                ),
                Attendance(meeting=meeting, member=guest, status="excused", sort_order=2),
            ]
        )
        self.meetings.append(meeting)
        self.results.append(result)

    def urls(self):
        first_result = self.results[0]
        first_meeting = self.meetings[0]
        register = self.register.url
        urls = {
            "home": "/",
            "register": register,
            "register filtered": f"{register}?kind=recommendation&year=2024",
            "register by topic": f"{register}?topic={self.topics[0].pk}",
            "register deep page": f"{register}?page=8",
            "export csv": f"{register}export/csv/",
            "export json": f"{register}export/json/",
            "result": first_result.url,
            "meeting calendar": self.meeting_index.url,
            "meeting": first_meeting.url,
            "closed meeting": self.meetings[5].url,
            "ical feed": f"{self.meeting_index.url}kalender/",
            "ical meeting": f"{first_meeting.url}kalender/",
            "topic index": self.topic_index.url,
            "topic": self.topics[0].url,
            "report index": self.report_index.url,
            "report": self.report.url,
            "members": self.members_page.url,
            "standard page": self.standard_page.url,
            "search": "/suche/?q=Digitalisierung",
            "search by type": "/suche/?q=Ergebnis&typ=ergebnis&page=2",
            "atom feed": "/feeds/ergebnisse/",
            "topic feed": f"/feeds/ergebnisse/themenfeld/{self.topics[0].pk}/",
        }
        return urls


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_the_data(client, site_root):
    site = Site(site_root)
    site.grow_to(SMALL)
    urls = site.urls()
    small = {name: count_queries(client, url) for name, url in urls.items()}
    site.grow_to(LARGE)
    large = {name: count_queries(client, url) for name, url in urls.items()}

    report = "\n".join(f"{name}: {small[name]} → {large[name]}" for name in urls)
    assert large == small, report
    over = {name: count for name, count in large.items() if count > MAX_QUERIES}
    assert not over, report
