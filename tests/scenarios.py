"""The named scenarios the tests build their sites from, so that one site is written once.

- `serve_home()`: the AG's home page as the default site's root (the `site_root` fixture);
- `every_page_type(home)`: one page of every type, linked the way the AG's content links up;
- `marked_site(home)`: public and non-public content of every kind, a marker string in every
  non-public field (the confidentiality crawls and the public pages' tests);
- `demo_shaped(home)` and `mixed(home)`: the council's bodies, members, meetings and results
  shaped like the demo, and a few hundred objects with every kind of visibility (the OParl
  crawls).

They put content in as demo/building.py does for the demo and the data generator; the objects
themselves come from the factories. A module whose tests only read a scenario shares one built
once (shared_scenario).
"""

import datetime
import itertools
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from wagtail.models import Collection, CollectionViewRestriction, Page

from demo import building
from tests import factories
from tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    ConsultationFactory,
    CouncilBodyFactory,
    DocumentFactory,
    FactionFactory,
    HomePageFactory,
    LocationFactory,
    MeetingIndexPageFactory,
    MeetingPageFactory,
    MemberFactory,
    MembersPageFactory,
    ReportIndexPageFactory,
    ReportPageFactory,
    ResultAttachmentFactory,
    ResultIndexPageFactory,
    ResultPageFactory,
    StandardPageFactory,
    TopicAreaIndexPageFactory,
    TopicAreaPageFactory,
)
from workgroup.editorial.groups import MEMBERS_GROUP
from workgroup.models import (
    Attendance,
    Consultation,
    MeetingPage,
    Member,
    ResultPage,
)


def serve_home(**fields):
    """The AG's home page as the default site's root, in place of Wagtail's welcome page."""
    fields = {"slug": "ag-digitalisierung", **fields}
    home = HomePageFactory(parent=Page.get_first_root_node(), **fields)
    building.serve_at_default_site(home)
    return home


def shared_scenario(build):
    """A module-scoped fixture with the scenario `build()` returns, built once for the module.

    It lives in a transaction rolled back after the module's last test; each test runs in a
    savepoint inside it (pytest-django's `db`), so a test that changes something leaves the
    next one the scenario as built. For modules whose tests mostly read.
    """

    @pytest.fixture(scope="module")
    def scenario(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock(), transaction.atomic():
            yield build()
            transaction.set_rollback(True)

    return scenario


def aware(*args):
    return timezone.make_aware(datetime.datetime(*args))


def paragraph(text):
    return [{"type": "paragraph", "value": f"<p>{text}</p>"}]


def publish(page):
    """Published through a revision, as the admin does, and read back as stored."""
    building.publish(page)
    page.refresh_from_db()
    return page


def document(title, name="dokument.pdf"):
    """A document as an upload through the admin leaves it: with size and hash."""
    doc = factories.DocumentFactory(
        title=title, file__filename=name, file__data=f"%PDF-1.4 {title}".encode()
    )
    doc.get_file_size()
    doc.get_file_hash()
    return doc


def at(year, month, day, hour=17):
    """A time in the city's time zone."""
    return building.local_datetime(datetime.date(year, month, day), hour)


def demo_shaped(site_root):
    """Content shaped like the demo: the council's bodies, the factions, the AG's members,
    meetings public and closed, results with their Beratungsfolge."""
    bodies = {
        name: factories.CouncilBodyFactory(
            name=name, short_name=short, sessions_public_by_default=public
        )
        for name, short, public in [
            ("Bürgermeisterberatung", "BMB", False),
            ("Verwaltungsausschuss", "VA", True),
            ("Ältestenrat", "ÄR", False),
            ("Stadtrat", "SR", True),
        ]
    }
    workgroup = factories.CouncilBodyFactory(
        name="Arbeitsgruppe Digitalisierung", short_name="AG DIG", is_workgroup=True
    )
    factions = [
        factories.FactionFactory(name=name, short_name=short)
        for name, short in [
            ("Fraktion CDU", "CDU"),
            ("Fraktion DIE LINKE", "LINKE"),
            ("Fraktion SPD/Grüne/Initiative", "SPD/Grüne/Ini"),
            ("Fraktion Freie Wähler", "FW"),
        ]
    ]
    role = Member.Role
    factories.MemberFactory(
        name="Koordinator Digitalisierung", role=role.CHAIR, function_title="Koordinator"
    )
    factories.MemberFactory(name="Fachgebietsleiter IT", role=role.VICE_CHAIR)
    factories.MemberFactory(name="Personal", role=role.STAFF_HR, name_is_public=False)
    factories.MemberFactory(name="Controlling", role=role.STAFF_CONTROLLING)
    for index, faction in enumerate(factions):
        representative = factories.MemberFactory(
            role=role.REPRESENTATIVE, faction=faction, is_expert_citizen=index == 2
        )
        factories.MemberFactory(role=role.DEPUTY, faction=faction, principal=representative)
    factories.MemberFactory(name="Kreisschülerrat", role=role.GUEST)
    factories.MemberFactory(
        role=role.DEPUTY, faction=factions[0], end_date=datetime.date(2023, 6, 30)
    )
    factories.MemberFactory(name="Entwurf", role=role.GUEST, live=False)

    location = factories.LocationFactory(description="Rathaus Plauen", room="Ratssaal")
    meetings_index = factories.MeetingIndexPageFactory(parent=site_root)
    members = list(Member.objects.filter(live=True, name_is_public=True))
    for number, (start, status, public) in enumerate(
        [
            (at(2022, 6, 15), "held", True),
            (at(2022, 9, 14), "held", False),
            (at(2023, 3, 8), "cancelled", True),
            (timezone.now() + datetime.timedelta(days=30), "planned", True),
        ],
        start=1,
    ):
        meeting = factories.MeetingPageFactory(
            parent=meetings_index,
            title=f"{number}. Sitzung der AG Digitalisierung",
            number=number,
            start=start,
            status=status,
            is_public=public,
            location=location,
            invitation=document(f"Einladung {number}", f"einladung-{number}.pdf"),
            minutes=document(f"Niederschrift {number}") if status == "held" else None,
        )
        for position, (title, item_public) in enumerate(
            [("Begrüßung", True), ("Onlinezugangsgesetz", True), ("Personalfragen", False)]
        ):
            factories.AgendaItemFactory(
                meeting=meeting,
                number=f"TOP {position + 1}",
                title=title,
                is_public=item_public,
                sort_order=position,
                decision="Kenntnis genommen." if position == 1 else "",
            )
        for member in members[:5]:
            factories.AttendanceFactory(meeting=meeting, member=member)
        publish(meeting)

    results_index = factories.ResultIndexPageFactory(parent=site_root)
    founding = factories.ResultPageFactory(
        parent=results_index,
        title="Gründung einer Arbeitsgruppe Digitalisierung",
        kind=ResultPage.Kind.INFORMATION_PAPER,
        reference="AG-DIG/2022/001",
        result_date=datetime.date(2022, 4, 1),
    )
    for position, (name, day, public, consultation_role) in enumerate(
        [
            ("Bürgermeisterberatung", datetime.date(2022, 4, 4), False, "information"),
            ("Verwaltungsausschuss", datetime.date(2022, 4, 13), True, "preliminary"),
            ("Ältestenrat", datetime.date(2022, 4, 25), False, "information"),
            ("Stadtrat", datetime.date(2022, 5, 3), True, "decision"),
        ]
    ):
        factories.ConsultationFactory(
            result=founding,
            body=bodies[name],
            date=day,
            is_public=public,
            role=consultation_role,
            sort_order=position,
        )
    factories.ResultAttachmentFactory(result=founding, document=document("Vorlage"))
    factories.ResultAttachmentFactory(result=founding, document=document("Anlage 1"))
    publish(founding)
    for kind, number in [(ResultPage.Kind.RECOMMENDATION, 2), (ResultPage.Kind.REPORT, 3)]:
        result = factories.ResultPageFactory(
            parent=results_index, kind=kind, reference=f"AG-DIG/2023/00{number}"
        )
        factories.ConsultationFactory(result=result, body=workgroup, role="decision")
        publish(result)


def mixed(site_root, papers=45, meetings=16):
    """A few hundred objects with every kind of visibility mixed in."""
    bodies = [factories.CouncilBodyFactory() for _ in range(4)]
    factories.CouncilBodyFactory(name="AG Digitalisierung", is_workgroup=True)
    factions = [factories.FactionFactory() for _ in range(6)]
    factions.append(factories.FactionFactory(live=False))
    for faction in factions:
        for deputy_role in (Member.Role.REPRESENTATIVE, Member.Role.DEPUTY, Member.Role.DEPUTY):
            factories.MemberFactory(role=deputy_role, faction=faction)
    for index in range(12):
        factories.MemberFactory(name_is_public=index % 3 != 0)
    locations = [factories.LocationFactory() for _ in range(3)]
    members = itertools.cycle(Member.objects.filter(role=Member.Role.REPRESENTATIVE))

    meetings_index = factories.MeetingIndexPageFactory(parent=site_root)
    for number in range(meetings):
        meeting = factories.MeetingPageFactory(
            parent=meetings_index,
            start=at(2022, 6, 1) + datetime.timedelta(days=30 * number),
            status="held",
            is_public=number % 4 != 0,
            location=locations[number % 3],
            invitation=document(f"Einladung {number}"),
            minutes=document(f"Niederschrift {number}") if number % 2 else None,
        )
        for position in range(4):
            factories.AgendaItemFactory(
                meeting=meeting, is_public=position != 3, sort_order=position
            )
        factories.AttendanceFactory(meeting=meeting, member=next(members))
        factories.AttendanceFactory(
            meeting=meeting,
            member=next(members),
            status=Attendance.Status.REPRESENTED,
            substitute=Member.objects.filter(role=Member.Role.DEPUTY).order_by("pk").first(),
        )
        publish(meeting)

    results_index = factories.ResultIndexPageFactory(parent=site_root)
    for number in range(papers):
        result = factories.ResultPageFactory(
            parent=results_index, kind=list(ResultPage.Kind)[number % len(ResultPage.Kind)]
        )
        for position, body in enumerate(bodies[: 1 + number % 4]):
            factories.ConsultationFactory(
                result=result, body=body, is_public=position != 1, sort_order=position
            )
        for _ in range(number % 3):
            factories.ResultAttachmentFactory(result=result, document=document("Anlage"))
        publish(result)


# --- marked_site ---------------------------------------------------------------------------

# Each marker sits in exactly one non-public field. Lower-case hex tails keep them unique.
NON_PUBLIC_ITEM_TITLE = "GEHEIM-TOP-7f3a"
NON_PUBLIC_ITEM_DECISION = "GEHEIM-BESCHLUSS-2b9c"
CLOSED_MEETING_ITEM = "GEHEIM-SITZUNG-TOP-5d1e"
CLOSED_MEETING_DECISION = "GEHEIM-SITZUNG-BESCHLUSS-a41c"
CLOSED_MEETING_BODY = "GEHEIM-SITZUNG-INFO-8c4d"
NON_PUBLIC_OUTCOME = "GEHEIM-BERATUNG-3e8f"
MINUTES_TITLE = "GEHEIM-NIEDERSCHRIFT-9a6b"
MINUTES_FILENAME = "geheim-niederschrift-9a6b"
MINUTES_CONTENT = "GEHEIM-DOKUMENTINHALT-4f2a"
RESTRICTED_ATTACHMENT = "GEHEIM-ANLAGE-e5f0"
HIDDEN_NAME = "GEHEIM-NAME-1c5b"
EMAIL = "geheim-adresse-6d7e@example.org"
DRAFT_TITLE = "GEHEIM-ENTWURF-0e3d"
DRAFT_SUMMARY = "GEHEIM-ENTWURF-TEXT-c2a9"
NEVER_PUBLISHED_RESULT = "GEHEIM-NIE-ERGEBNIS-7b2e"
NEVER_PUBLISHED_TOPIC = "GEHEIM-NIE-THEMA-d8f1"

# What an AG member may read on the site.
MEMBER_MARKERS = [
    NON_PUBLIC_ITEM_TITLE,
    NON_PUBLIC_ITEM_DECISION,
    CLOSED_MEETING_ITEM,
    CLOSED_MEETING_DECISION,
    CLOSED_MEETING_BODY,
    NON_PUBLIC_OUTCOME,
    MINUTES_TITLE,
    MINUTES_FILENAME,
    MINUTES_CONTENT,
    RESTRICTED_ATTACHMENT,
    HIDDEN_NAME,
]
# What nobody reads on the public site, members included.
NOBODY_MARKERS = [EMAIL, DRAFT_TITLE, DRAFT_SUMMARY, NEVER_PUBLISHED_RESULT, NEVER_PUBLISHED_TOPIC]
ALL_MARKERS = MEMBER_MARKERS + NOBODY_MARKERS


def restricted_collection():
    """A document collection that only AG-Mitglieder may download from."""
    collection = Collection.get_first_root_node().add_child(name="AG intern")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.get_or_create(name=MEMBERS_GROUP)[0])
    return collection


def marked_site(home):
    """A small but complete site: every page type, public and non-public content, and a marker
    string in every non-public field (the crawls look for them).

    Returns the objects the tests refer to by name.
    """
    now = timezone.now()
    intern = restricted_collection()

    topics = TopicAreaIndexPageFactory(parent=home, show_in_menus=True)
    topic_admin = TopicAreaPageFactory(
        parent=topics,
        title="Digitale Verwaltung",
        slug="digitale-verwaltung",
        intro="Online-Dienste, E-Akte und digitale Abläufe im Rathaus.",
    )
    topic_schools = TopicAreaPageFactory(
        parent=topics,
        title="Digitale Schulen",
        slug="digitale-schulen",
        intro="Ausstattung und Netzanbindung der Plauener Schulen.",
    )
    TopicAreaPageFactory(
        parent=topic_schools, title="WLAN an Grundschulen", slug="wlan-grundschulen"
    )
    topic_never = TopicAreaPageFactory(
        parent=topics, title=NEVER_PUBLISHED_TOPIC, slug="nie-veroeffentlicht", live=False
    )

    faction = FactionFactory(name="Fraktion Bürger für Plauen", short_name="BfP")
    other_faction = FactionFactory(name="Fraktion Zukunft Vogtland", short_name="ZV")
    chair = MemberFactory(
        name="Dr. Anna Beispiel", role=Member.Role.CHAIR, function_title="Koordinatorin"
    )
    representative = MemberFactory(
        name="Bernd Muster", role=Member.Role.REPRESENTATIVE, faction=faction
    )
    hidden = MemberFactory(
        name=HIDDEN_NAME,
        role=Member.Role.DEPUTY,
        faction=faction,
        principal=representative,
        name_is_public=False,
        email=EMAIL,
    )
    MemberFactory(name="Clara Vorbild", role=Member.Role.REPRESENTATIVE, faction=other_faction)
    MemberFactory(name="Kreisschülerrat", role=Member.Role.GUEST, guest_topic=topic_schools)

    body_admin = CouncilBodyFactory(name="Verwaltungsausschuss", short_name="VA")
    body_council = CouncilBodyFactory(name="Stadtrat", short_name="SR")
    location = LocationFactory(description="Rathaus Plauen", room="Ratssaal")

    meetings = MeetingIndexPageFactory(parent=home, show_in_menus=True)
    held = MeetingPageFactory(
        parent=meetings,
        title="5. Sitzung der AG Digitalisierung",
        slug="5-sitzung",
        number=5,
        start=datetime.datetime(2024, 3, 12, 16, 0, tzinfo=datetime.UTC),
        end=datetime.datetime(2024, 3, 12, 18, 0, tzinfo=datetime.UTC),
        location=location,
        status=MeetingPage.Status.HELD,
        is_public=True,
        invitation=DocumentFactory(title="Einladung zur 5. Sitzung"),
    )
    AgendaItemFactory(
        meeting=held,
        number="TOP 1",
        title="Bericht zum Stand der E-Akte",
        is_public=True,
        topic_area=topic_admin,
        decision="Die AG nimmt den Bericht zur Kenntnis.",
    )
    AgendaItemFactory(
        meeting=held,
        number="TOP 2",
        title=NON_PUBLIC_ITEM_TITLE,
        is_public=False,
        topic_area=topic_admin,
        decision=NON_PUBLIC_ITEM_DECISION,
    )
    AttendanceFactory(meeting=held, member=chair)
    AttendanceFactory(meeting=held, member=hidden)

    closed = MeetingPageFactory(
        parent=meetings,
        title="6. Sitzung der AG Digitalisierung",
        slug="6-sitzung",
        number=6,
        start=datetime.datetime(2024, 6, 4, 16, 0, tzinfo=datetime.UTC),
        end=datetime.datetime(2024, 6, 4, 18, 0, tzinfo=datetime.UTC),
        location=location,
        status=MeetingPage.Status.HELD,
        is_public=False,
        minutes=DocumentFactory(
            title=MINUTES_TITLE,
            collection=intern,
            file=ContentFile(
                f"%PDF-1.4 {MINUTES_CONTENT}".encode(), name=f"{MINUTES_FILENAME}.pdf"
            ),
        ),
        body=[("paragraph", f"<p>{CLOSED_MEETING_BODY}</p>")],
    )
    # Public as an item, but the meeting is closed as a whole.
    AgendaItemFactory(
        meeting=closed,
        number="TOP 1",
        title=CLOSED_MEETING_ITEM,
        is_public=True,
        topic_area=topic_schools,
        decision=CLOSED_MEETING_DECISION,
    )
    AttendanceFactory(meeting=closed, member=representative)

    upcoming = MeetingPageFactory(
        parent=meetings,
        title="7. Sitzung der AG Digitalisierung",
        slug="7-sitzung",
        number=7,
        start=now + datetime.timedelta(days=10),
        location=location,
        is_public=True,
    )
    AgendaItemFactory(meeting=upcoming, number="TOP 1", title="Breitbandausbau", is_public=True)
    cancelled = MeetingPageFactory(
        parent=meetings,
        title="8. Sitzung der AG Digitalisierung",
        slug="8-sitzung",
        number=8,
        start=now + datetime.timedelta(days=40),
        status=MeetingPage.Status.CANCELLED,
        is_public=True,
    )

    results = ResultIndexPageFactory(parent=home, show_in_menus=True)
    result = ResultPageFactory(
        parent=results,
        title="Einführung der E-Akte in der Stadtverwaltung",
        slug="e-akte",
        reference="AG-DIG/2024/001",
        kind=ResultPage.Kind.RECOMMENDATION,
        progress=ResultPage.Progress.DECIDED,
        result_date=datetime.date(2024, 3, 12),
        summary="Die AG empfiehlt, die E-Akte schrittweise in allen Fachbereichen einzuführen.",
        easy_language_summary="Die Stadt will Akten am Computer führen. Das spart Papier.",
        body=[("paragraph", "<p>Die Einführung erfolgt in drei Stufen.</p>")],
    )
    result.topic_areas.set([topic_admin, topic_never])
    result.source_meetings.set([held, closed])
    result.save()
    ConsultationFactory(
        result=result,
        body=body_admin,
        date=datetime.date(2024, 4, 10),
        is_public=True,
        role=Consultation.Role.PRELIMINARY,
        outcome="Einstimmig empfohlen.",
    )
    ConsultationFactory(
        result=result,
        body=body_council,
        date=datetime.date(2024, 5, 2),
        is_public=False,
        role=Consultation.Role.DECISION,
        outcome=NON_PUBLIC_OUTCOME,
    )
    ResultAttachmentFactory(result=result, document=DocumentFactory(title="Konzept E-Akte"))
    ResultAttachmentFactory(
        result=result,
        document=DocumentFactory(title=RESTRICTED_ATTACHMENT, collection=intern),
    )
    # A pending draft on top of the live version: the public sees the live version only.
    draft = ResultPage.objects.get(pk=result.pk)
    draft.title = DRAFT_TITLE
    draft.summary = DRAFT_SUMMARY
    draft.save_revision()

    other = ResultPageFactory(
        parent=results,
        title="WLAN für alle Grundschulen",
        slug="wlan-grundschulen",
        reference="AG-DIG/2023/004",
        kind=ResultPage.Kind.CONCEPT,
        progress=ResultPage.Progress.IN_IMPLEMENTATION,
        result_date=datetime.date(2023, 11, 20),
        summary="Konzept für flächendeckendes WLAN in den Plauener Grundschulen.",
    )
    other.topic_areas.set([topic_schools])
    other.save()
    ResultPageFactory(
        parent=results,
        title=NEVER_PUBLISHED_RESULT,
        slug="nie-veroeffentlicht",
        reference="AG-DIG/2024/099",
        summary=NEVER_PUBLISHED_RESULT,
        live=False,
    )

    reports = ReportIndexPageFactory(parent=home, show_in_menus=True)
    report = ReportPageFactory(
        parent=reports,
        period_year=2024,
        period_half=1,
        presented_on=datetime.date(2024, 7, 15),
        summary=[
            (
                "paragraph",
                "<p>Die AG hat im ersten Halbjahr zweimal getagt. Siehe auch "
                '<a href="https://www.plauen.de/">www.plauen.de</a>.</p>',
            ),
        ],
    )
    members_page = MembersPageFactory(
        parent=home, show_in_menus=True, intro="Die Zusammensetzung nach der Gründungsvorlage."
    )
    imprint = StandardPageFactory(
        parent=home,
        title="Impressum",
        slug="impressum",
        intro="Angaben nach § 5 DDG.",
        body=[("paragraph", "<p>Stadtverwaltung Plauen, Unterer Graben 1, 08523 Plauen</p>")],
    )
    accessibility = StandardPageFactory(
        parent=home,
        title="Erklärung zur Barrierefreiheit",
        slug="barrierefreiheit",
        intro="Die Stadt Plauen ist bemüht, diese Website barrierefrei zugänglich zu machen.",
    )
    return {
        "home": home,
        "topics": topics,
        "topic_admin": topic_admin,
        "topic_schools": topic_schools,
        "meetings": meetings,
        "held": held,
        "closed": closed,
        "upcoming": upcoming,
        "cancelled": cancelled,
        "results": results,
        "result": result,
        "other_result": other,
        "reports": reports,
        "report": report,
        "members_page": members_page,
        "imprint": imprint,
        "accessibility": accessibility,
        "hidden_member": hidden,
    }


# --- the crawler --------------------------------------------------------------------------------


# --- every_page_type -------------------------------------------------------------------------


def every_page_type(home):
    """One page of every type, linked the way the AG's content links up; a namespace of them
    all by name."""
    home.body = paragraph("Willkommen bei der AG.")
    home.save()

    standard = StandardPageFactory(
        parent=home,
        title="Impressum",
        intro="Angaben gemäß § 5 TMG.",
        body=[
            {"type": "heading", "value": {"text": "Verantwortlich", "level": "h2"}},
            *paragraph("Stadt Plauen, Unterer Graben 1."),
        ],
    )
    topic_index = TopicAreaIndexPageFactory(parent=home, intro="Die Aufgaben der AG.")
    topic = TopicAreaPageFactory(
        parent=topic_index,
        title="Onlinezugangsgesetz",
        intro="Strategie zur Umsetzung des OZG.",
        body=paragraph("Alle Leistungen auch online."),
    )
    subtopic = TopicAreaPageFactory(parent=topic, title="Bürgerkonto")

    meeting_index = MeetingIndexPageFactory(parent=home, intro="Termine der AG.")
    location = LocationFactory(description="Rathaus Plauen", room="Ratssaal")
    past_meeting = MeetingPageFactory(
        parent=meeting_index,
        title="1. Sitzung der AG Digitalisierung",
        number=1,
        start=aware(2024, 3, 12, 16, 0),
        end=aware(2024, 3, 12, 18, 0),
        status=MeetingPage.Status.HELD,
        location=location,
    )
    next_meeting = MeetingPageFactory(
        parent=meeting_index, title="Nächste Sitzung der AG", number=2, location=location
    )

    result_index = ResultIndexPageFactory(parent=home, intro="Was die AG erarbeitet hat.")
    result = ResultPageFactory(
        parent=result_index,
        title="Digitalstrategie der Stadt Plauen",
        reference="AG-DIG/2024/001",
        kind=ResultPage.Kind.CONCEPT,
        progress=ResultPage.Progress.DECIDED,
        result_date=datetime.date(2024, 3, 12),
        summary="Die Strategie bündelt alle Vorhaben.",
        easy_language_summary="Die Stadt macht einen Plan.",
    )
    result.topic_areas.add(topic)
    result.source_meetings.add(past_meeting)
    result.save()
    ConsultationFactory(
        result=result,
        body=CouncilBodyFactory(name="Verwaltungsausschuss"),
        date=datetime.date(2024, 4, 17),
        outcome="Einstimmig empfohlen.",
    )
    ResultAttachmentFactory(result=result, title="Strategiepapier")
    AgendaItemFactory(
        meeting=past_meeting,
        number="TOP 1",
        title="Entwurf der Digitalstrategie",
        topic_area=topic,
        result=result,
        decision="Die AG empfiehlt die Strategie.",
    )

    report_index = ReportIndexPageFactory(parent=home, intro="Berichte an den Ausschuss.")
    report = ReportPageFactory(
        parent=report_index,
        title="Bericht 1. Halbjahr 2024",
        period_year=2024,
        period_half=1,
        presented_on=datetime.date(2024, 9, 11),
        summary=paragraph("Ein gutes Halbjahr."),
    )

    members_page = MembersPageFactory(parent=home, intro="Wer in der AG mitarbeitet.")
    faction = FactionFactory(name="Fraktion CDU")
    chair = MemberFactory(
        role=Member.Role.CHAIR, name="Steffen Zenner", function_title="Koordinator Digitalisierung"
    )
    representative = MemberFactory(
        role=Member.Role.REPRESENTATIVE, faction=faction, name="Vera Vertreterin"
    )
    guest = MemberFactory(role=Member.Role.GUEST, name="Kreisschülerrat", guest_topic=topic)

    return SimpleNamespace(**locals())


def store_documents_on_disk(settings, directory):
    """Documents as in production: files on disk, served by Wagtail's view after its
    collection check, so that a crawl reads their content. (The test settings keep files in
    memory, which Wagtail's document view cannot serve.)"""
    settings.MEDIA_ROOT = str(directory)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
