"""A list page costs the same few queries however many objects the list holds, and loads only
its own objects."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.signal_handlers import disable_reference_index_auto_update

from tests import factories
from tests.oparl.oparl_validation import fetch
from workgroup.models import Attendance, Location, Member, ResultPage

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10


@pytest.fixture(autouse=True)
def without_indexing_and_page_cache(settings):
    """Hundreds of pages are this test's setup, not its subject: Wagtail's search and reference
    indexes are left alone while it builds them. The anonymous page cache would answer a page
    fetched twice without the API; the API's own cost is measured."""
    settings.PAGE_CACHE_SECONDS = 0
    settings.WAGTAILSEARCH_BACKENDS = {
        name: {**config, "AUTO_UPDATE": False}
        for name, config in settings.WAGTAILSEARCH_BACKENDS.items()
    }
    with disable_reference_index_auto_update():
        yield


@pytest.fixture
def make_papers(site_root):
    index = factories.ResultIndexPageFactory(parent=site_root)
    factories.CouncilBodyFactory(name="AG Digitalisierung", is_workgroup=True)
    bodies = [factories.CouncilBodyFactory() for _ in range(3)]

    def make(count):
        for number in range(count):
            page = factories.ResultPageFactory(parent=index)
            for position, body in enumerate(bodies):
                factories.ConsultationFactory(
                    result=page, body=body, is_public=position != 1, sort_order=position
                )
            factories.ResultAttachmentFactory(result=page)
            if number % 2:
                factories.ResultAttachmentFactory(result=page)

    return make


@pytest.fixture
def make_meetings(site_root):
    index = factories.MeetingIndexPageFactory(parent=site_root)
    location = factories.LocationFactory()
    faction = factories.FactionFactory()
    members = [
        factories.MemberFactory(role=Member.Role.REPRESENTATIVE, faction=faction),
        factories.MemberFactory(role=Member.Role.DEPUTY, faction=faction),
    ]

    def make(count):
        for number in range(count):
            meeting = factories.MeetingPageFactory(
                parent=index,
                location=location,
                is_public=number % 3 != 0,
                invitation=factories.DocumentFactory(),
                minutes=factories.DocumentFactory(),
            )
            for position in range(3):
                factories.AgendaItemFactory(
                    meeting=meeting, sort_order=position, is_public=position != 2
                )
            factories.AttendanceFactory(
                meeting=meeting,
                member=members[0],
                status=Attendance.Status.REPRESENTED,
                substitute=members[1],
            )

    return make


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        answer = fetch(client, url)
    return len(queries), answer, [query["sql"] for query in queries]


@pytest.mark.parametrize(
    "query",
    ["", "?modified_since=2000-01-01T00:00:00%2B01:00&created_until=2100-01-01T00:00:00%2B01:00"],
    ids=["plain", "filtered"],
)
def test_a_paper_page_costs_the_same_for_10_and_150_papers(client, make_papers, query):
    make_papers(10)
    few, answer, _ = count_queries(client, "/oparl/v1/body/1/paper" + query)
    assert len(answer["data"]) == 10
    make_papers(140)
    many, answer, statements = count_queries(client, "/oparl/v1/body/1/paper" + query)
    assert len(answer["data"]) == 100
    assert answer["data"][0]["consultation"] and answer["data"][1]["auxiliaryFile"]
    print(f"\nEine Seite mit 100 Vorlagen ({query or 'ohne Filter'}): {many} Abfragen")
    assert few == many
    assert many <= MAX_QUERIES, "\n".join(statements)


def test_a_paper_page_loads_only_its_own_papers(client, make_papers):
    make_papers(120)
    _, answer, statements = count_queries(client, "/oparl/v1/body/1/paper?page=2")
    assert len(answer["data"]) == 20
    # One query loads pages, and only this page's twenty.
    page_selects = [sql for sql in statements if sql.startswith('SELECT "wagtailcore_page"')]
    assert len(page_selects) == 1 and page_selects[0].endswith("LIMIT 20 OFFSET 100")


def test_a_meeting_page_costs_the_same_for_5_and_40_meetings(client, make_meetings):
    make_meetings(5)
    few, answer, _ = count_queries(client, "/oparl/v1/body/1/meeting")
    assert any(meeting.get("participant") for meeting in answer["data"])
    make_meetings(35)
    many, answer, statements = count_queries(client, "/oparl/v1/body/1/meeting")
    assert len(answer["data"]) == 40
    assert few == many
    assert many <= MAX_QUERIES, "\n".join(statements)


ALL_LISTS = [
    "organization",
    "person",
    "meeting",
    "paper",
    "agenda-item",
    "consultation",
    "file",
    "location",
    "legislative-term",
    "membership",
]
SYNCHRONISING = "?modified_since=2000-01-01T00:00:00%2B01:00"


@pytest.mark.parametrize("query", ["", SYNCHRONISING], ids=["plain", "modified_since"])
@pytest.mark.parametrize("list_name", ALL_LISTS)
def test_every_list_costs_the_same_for_few_and_many(
    client, make_papers, make_meetings, list_name, query
):
    def grow(papers, meetings, members):
        make_papers(papers)
        make_meetings(meetings)
        for _ in range(members):
            factories.MemberFactory(role=Member.Role.DEPUTY, faction=factories.FactionFactory())
        # A paper with its consultations and files, a person with their memberships and a
        # location leave, so that synchronising pages list tombstones too.
        ResultPage.objects.live().order_by("-pk").first().unpublish()
        Member.objects.filter(live=True).order_by("-pk").first().delete()
        Location.objects.create(description="Rathaus", room=f"Raum {Location.objects.count()}")
        Location.objects.order_by("-pk").first().delete()

    def last_page():
        """The page with the tombstones, behind the objects."""
        return fetch(client, f"/oparl/v1/body/1/{list_name}{query}")["links"]["last"]

    grow(papers=3, meetings=3, members=2)
    few, answer, _ = count_queries(client, last_page())
    grow(papers=40, meetings=30, members=40)
    many, answer, statements = count_queries(client, last_page())
    print(f"\n{list_name}{query}: {len(answer['data'])} Objekte, {many} Abfragen")
    assert few == many
    assert many <= MAX_QUERIES, "\n".join(statements)
