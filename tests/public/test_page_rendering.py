"""Every page type renders with its key content; non-public content stays with the AG."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from tests import scenarios
from tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    ConsultationFactory,
    CouncilBodyFactory,
    MeetingPageFactory,
    MemberFactory,
    ResultPageFactory,
    TopicAreaPageFactory,
    UserFactory,
)
from workgroup.editorial.groups import MEMBERS_GROUP
from workgroup.models import Attendance, MeetingPage, Member

pytestmark = pytest.mark.django_db

Role = Member.Role


# The tests read the site; the few that change it do so in their own savepoint.
site = scenarios.shared_scenario(lambda: scenarios.every_page_type(scenarios.serve_home()))


class Rendered:
    """A rendered page: `text` (visible text, whitespace collapsed) for what a reader sees,
    `html` for what must not be anywhere in the markup."""

    def __init__(self, response):
        self.html = response.content.decode()
        self.soup = BeautifulSoup(self.html, "html.parser")
        self.text = " ".join(self.soup.get_text(" ").split())

    def headings(self, level):
        return [" ".join(h.get_text(" ").split()) for h in self.soup.find_all(f"h{level}")]


def get(client, page):
    response = client.get(page.url)
    assert response.status_code == 200, page
    return Rendered(response)


@pytest.fixture
def member_client(db):
    """A reader in the group „AG-Mitglieder“, with a client of its own beside `client`."""
    member_client = Client()
    member_client.force_login(UserFactory(groups=[MEMBERS_GROUP]))
    return member_client


# --- every page type ----------------------------------------------------------------------------


def test_home_page(client, site):
    content = get(client, site.home)

    assert site.home.title in content.text
    assert site.home.intro in content.text
    assert "Willkommen bei der AG." in content.text
    assert "Nächste Sitzung der AG" in content.text
    assert "Digitalstrategie der Stadt Plauen" in content.text
    assert "Onlinezugangsgesetz" in content.text


def test_home_page_without_content(client, site):
    """A new installation's home page, beside the module's site."""
    content = get(client, scenarios.serve_home(slug="neu"))

    assert "Derzeit ist keine Sitzung geplant." in content.text
    assert "Noch keine Ergebnisse." in content.text


def test_standard_page(client, site):
    content = get(client, site.standard)

    assert content.headings(1) == ["Impressum"]
    assert "Angaben gemäß § 5 TMG." in content.text
    assert "Verantwortlich" in content.headings(2)
    assert "Stadt Plauen, Unterer Graben 1." in content.text


def test_topic_area_index_page(client, site):
    content = get(client, site.topic_index)

    assert "Die Aufgaben der AG." in content.text
    assert "Onlinezugangsgesetz" in content.text
    assert "Strategie zur Umsetzung des OZG." in content.text


def test_topic_area_index_leads_to_the_nested_areas(client, site):
    """The sub-areas (OZG, DigitalPakt Schulen, … in the founding paper) are reachable from the
    overview, nested under their area; one that is not published stays out, and so does what
    nests under it."""
    hidden = TopicAreaPageFactory(parent=site.topic, title="Unveröffentlicht", live=False)
    TopicAreaPageFactory(parent=hidden, title="Darunter verborgen")
    TopicAreaPageFactory(parent=site.subtopic, title="Bürgerkonto Plus")

    content = get(client, site.topic_index)

    nested = content.soup.select(".topic-grid > li > .topic-tree > li")
    assert [item.a.get_text() for item in nested] == ["Bürgerkonto"]
    assert nested[0].a["href"] == site.subtopic.url
    deeper = nested[0].select(":scope > .topic-tree a")
    assert [a.get_text() for a in deeper] == ["Bürgerkonto Plus"]
    assert "Unveröffentlicht" not in content.text
    assert "Darunter verborgen" not in content.text


def test_topic_area_page(client, site):
    content = get(client, site.topic)

    assert content.headings(1) == ["Onlinezugangsgesetz"]
    assert "Alle Leistungen auch online." in content.text
    assert "Bürgerkonto" in content.text
    assert "Digitalstrategie der Stadt Plauen" in content.text
    assert "1. Sitzung der AG Digitalisierung" in content.text


def test_nested_topic_area_page(client, site):
    content = get(client, site.subtopic)

    assert content.headings(1) == ["Bürgerkonto"]


def test_meeting_index_page(client, site):
    content = get(client, site.meeting_index)

    assert "Termine der AG." in content.text
    upcoming, past = content.text.split("Vergangene Sitzungen")
    assert "Nächste Sitzung der AG" in upcoming
    assert "1. Sitzung der AG Digitalisierung" in past
    assert "2024" in content.headings(3)


def test_meeting_page(client, site):
    content = get(client, site.past_meeting)

    assert content.headings(1) == ["1. Sitzung der AG Digitalisierung"]
    assert "12.03.2024, 16:00 Uhr" in content.text
    assert "18:00 Uhr" in content.text
    assert "Rathaus Plauen, Ratssaal" in content.text
    assert "Unterer Graben 1, 08523 Plauen" in content.text
    assert "durchgeführt" in content.text
    assert "öffentliche Sitzung" in content.text
    assert "Entwurf der Digitalstrategie" in content.text
    assert "Die AG empfiehlt die Strategie." in content.text


def test_cancelled_meeting_says_so(client, site):
    site.next_meeting.status = MeetingPage.Status.CANCELLED
    site.next_meeting.save()

    assert "Diese Sitzung ist abgesagt." in get(client, site.next_meeting).text


def test_result_index_page(client, site):
    content = get(client, site.result_index)

    assert "Was die AG erarbeitet hat." in content.text
    assert "Digitalstrategie der Stadt Plauen" in content.text
    assert "AG-DIG/2024/001" in content.text
    assert "Konzept" in content.text
    assert "12.03.2024" in content.text
    assert "Onlinezugangsgesetz" in content.text
    assert "beschlossen" in content.text


def test_result_page(client, site):
    content = get(client, site.result)

    assert content.headings(1) == ["Digitalstrategie der Stadt Plauen"]
    assert "AG-DIG/2024/001" in content.text
    assert "Konzept" in content.text
    assert "beschlossen" in content.text
    assert "Die Strategie bündelt alle Vorhaben." in content.text
    assert "Die Stadt macht einen Plan." in content.text
    assert "Verwaltungsausschuss" in content.text
    assert "17.04.2024" in content.text
    assert "Einstimmig empfohlen." in content.text
    assert "Strategiepapier" in content.text
    assert "1. Sitzung der AG Digitalisierung" in content.text


def test_report_index_page(client, site):
    content = get(client, site.report_index)

    assert "Berichte an den Ausschuss." in content.text
    assert "Bericht 1. Halbjahr 2024" in content.text
    assert "1. Halbjahr 2024" in content.text
    assert "vorgestellt am 11.09.2024" in content.text


def test_report_page(client, site):
    content = get(client, site.report)

    assert content.headings(1) == ["Bericht 1. Halbjahr 2024"]
    assert "1. Halbjahr 2024 (01.01.2024 – 30.06.2024)" in content.text
    assert "11.09.2024" in content.text
    assert "Ein gutes Halbjahr." in content.text
    assert "1. Sitzung der AG Digitalisierung" in content.text
    assert "Digitalstrategie der Stadt Plauen" in content.text
    overview = content.soup.find("th", string="Bearbeitungsstand").find_parent("table")
    assert [
        [cell.get_text(strip=True) for cell in row.find_all("td")]
        for row in overview.find("tbody").find_all("tr")
    ] == [["beschlossen", "1"]]


def test_members_page(client, site):
    content = get(client, site.members_page)

    assert "Wer in der AG mitarbeitet." in content.text
    assert "Steffen Zenner" in content.text
    assert "Koordinator Digitalisierung" in content.text
    assert "Fraktion CDU" in content.text
    assert "Vera Vertreterin" in content.text
    assert "Kreisschülerrat" in content.text
    assert "– Onlinezugangsgesetz" in content.text


def test_unpublished_pages_are_not_public(client, site):
    draft = ResultPageFactory(parent=site.result_index, title="Geheimer Entwurf", live=False)

    assert client.get(draft.url).status_code == 404
    assert "Geheimer Entwurf" not in get(client, site.result_index).html


# --- confidentiality ----------------------------------------------------------------------------


@pytest.fixture
def closed_meeting(site):
    meeting = MeetingPageFactory(
        parent=site.meeting_index, title="Nicht öffentliche Sitzung", is_public=False
    )
    AgendaItemFactory(
        meeting=meeting,
        number="TOP 1",
        title="Personalplanung IT",
        is_public=True,
        decision="Zwei Stellen.",
    )
    return meeting


@pytest.fixture
def mixed_meeting(site):
    meeting = MeetingPageFactory(parent=site.meeting_index, title="Gemischte Sitzung")
    AgendaItemFactory(meeting=meeting, number="TOP 1", title="Begrüßung", is_public=True)
    AgendaItemFactory(
        meeting=meeting,
        number="TOP 2",
        title="Vergabe Serverbetrieb",
        is_public=False,
        decision="Zuschlag an Firma X.",
    )
    return meeting


def test_an_item_is_public_only_within_a_public_meeting(closed_meeting, mixed_meeting):
    """The rule the templates (and every other public view) rely on."""
    [closed_item] = closed_meeting.agenda_items.all()
    public_item, secret_item = mixed_meeting.agenda_items.order_by("number")

    assert closed_item.is_public and not closed_item.is_publicly_visible
    assert public_item.is_publicly_visible
    assert not secret_item.is_publicly_visible


def test_closed_meeting_shows_the_public_only_date_title_and_place(client, closed_meeting):
    content = get(client, closed_meeting)

    assert "Nicht öffentliche Sitzung" in content.text
    assert "nicht öffentliche Sitzung" in content.text
    assert "Die Sitzung ist nicht öffentlich." in content.text
    assert "Personalplanung IT" not in content.html
    assert "Zwei Stellen." not in content.html


def test_closed_meeting_shows_members_the_agenda(member_client, closed_meeting):
    content = get(member_client, closed_meeting)

    assert "Personalplanung IT" in content.text
    assert "Zwei Stellen." in content.text
    assert "Die Sitzung ist nicht öffentlich." not in content.html


def test_non_public_item_in_public_meeting_is_only_a_placeholder(client, mixed_meeting):
    content = get(client, mixed_meeting)

    assert "Begrüßung" in content.text
    assert "TOP 2" in content.text
    assert "nicht öffentlicher Teil" in content.text
    assert "Vergabe Serverbetrieb" not in content.html
    assert "Zuschlag an Firma X." not in content.html


def test_non_public_item_is_shown_in_full_to_members(member_client, mixed_meeting):
    content = get(member_client, mixed_meeting)

    assert "Vergabe Serverbetrieb" in content.text
    assert "Zuschlag an Firma X." in content.text
    assert "nicht öffentlicher Teil" not in content.html


def test_logged_in_user_outside_the_groups_sees_what_the_public_sees(client, mixed_meeting):
    client.force_login(UserFactory())

    content = get(client, mixed_meeting)

    assert "Vergabe Serverbetrieb" not in content.html
    assert "nicht öffentlicher Teil" in content.text


def test_non_public_consultation_outcome_stays_with_members(client, member_client, site):
    ConsultationFactory(
        result=site.result,
        body=CouncilBodyFactory(name="Ältestenrat"),
        date=datetime.date(2024, 4, 25),
        is_public=False,
        outcome="Vertraulich beraten und vertagt.",
    )

    def consultation_rows(rendered):
        table = rendered.soup.find("th", string="Gremium").find_parent("table")
        return [
            [" ".join(cell.get_text(" ").split()) for cell in row.find_all("td")]
            for row in table.find("tbody").find_all("tr")
        ]

    public = get(client, site.result)
    assert consultation_rows(public) == [
        [
            "Verwaltungsausschuss",
            "17.04.2024",
            "öffentlich",
            "Vorberatung",
            "Einstimmig empfohlen.",
        ],
        [
            "Ältestenrat",
            "25.04.2024",
            "nicht öffentlich",
            "Zuständigkeit und Ergebnis werden nicht veröffentlicht.",
        ],
    ]
    assert "Vertraulich beraten und vertagt." not in public.html

    for_members = get(member_client, site.result)
    assert consultation_rows(for_members)[1] == [
        "Ältestenrat",
        "25.04.2024",
        "nicht öffentlich",
        "Vorberatung",
        # Marked for members (the badge, with its meaning for screen readers).
        "nicht öffentlich – nur für Mitglieder der Arbeitsgruppe, nicht weitergeben "
        "Vertraulich beraten und vertagt.",
    ]


@pytest.fixture
def private_person(site):
    """A member who did not consent to publishing the name, attending a public meeting."""
    person = MemberFactory(
        role=Role.STAFF_HR,
        name="Petra Privat",
        function_title="FG Personal/Organisation",
        name_is_public=False,
        email="petra.privat@plauen.de",
    )
    AttendanceFactory(meeting=site.past_meeting, member=person)
    return person


def test_member_without_consent_is_shown_only_by_function(client, site, private_person):
    for page in (site.members_page, site.past_meeting):
        content = get(client, page)
        assert "Petra Privat" not in content.html, page
        assert "Name nicht veröffentlicht" in content.text, page
        assert "FG Personal/Organisation" in content.text, page


def test_members_of_the_ag_see_the_name_at_meetings(member_client, site, private_person):
    assert "Petra Privat" in get(member_client, site.past_meeting).text


def test_email_addresses_never_appear_on_public_pages(client, member_client, site):
    faction = site.faction
    deputy = MemberFactory(
        role=Role.DEPUTY, faction=faction, principal=site.representative, name="Dora Deputy"
    )
    AttendanceFactory(
        meeting=site.past_meeting,
        member=site.representative,
        status=Attendance.Status.REPRESENTED,
        substitute=deputy,
    )
    AttendanceFactory(meeting=site.past_meeting, member=site.chair)
    site.past_meeting.invited_guests.add(site.guest)
    site.past_meeting.save()
    emails = list(Member.objects.values_list("email", flat=True))
    assert len(emails) == 4 and all("@" in email for email in emails)
    pages = [
        site.home,
        site.standard,
        site.topic_index,
        site.topic,
        site.meeting_index,
        site.past_meeting,
        site.next_meeting,
        site.result_index,
        site.result,
        site.report_index,
        site.report,
        site.members_page,
    ]

    for reader in (client, member_client):
        for page in pages:
            content = get(reader, page)
            for email in emails:
                assert email not in content.html, (page, email)
    meeting = get(client, site.past_meeting)
    assert "vertreten durch Dora Deputy" in meeting.text
    assert "Kreisschülerrat" in meeting.text


def test_topic_page_names_no_meeting_for_a_closed_item(site):
    """A meeting listed under a topic because of a closed item would reveal what it was about."""
    closed = MeetingPageFactory(parent=site.meeting_index, title="Geschlossen", is_public=False)
    AgendaItemFactory(meeting=closed, title="Geheim", is_public=True, topic_area=site.topic)
    public = MeetingPageFactory(parent=site.meeting_index, title="Offen")
    AgendaItemFactory(meeting=public, title="Intern", is_public=False, topic_area=site.topic)
    listed = MeetingPageFactory(parent=site.meeting_index, title="Mit öffentlichem TOP")
    AgendaItemFactory(meeting=listed, title="Bericht", is_public=True, topic_area=site.topic)

    titles = {meeting.title for meeting in site.topic.meetings()}

    assert "Mit öffentlichem TOP" in titles
    assert not titles & {"Geschlossen", "Offen"}
