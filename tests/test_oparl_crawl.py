"""The whole OParl API, crawled from /oparl/v1/system through every list, every page and every
id, and validated against the specification (tests/oparl_validation.py)."""

import datetime
import itertools

import pytest
from django.core.management import call_command, get_commands
from django.utils import timezone
from wagtail.signal_handlers import disable_reference_index_auto_update

from oparl.identifiers import base_url
from tests import factories
from tests.oparl_validation import Crawler
from workgroup.models import Attendance, Consultation, Member, ResultPage

pytestmark = pytest.mark.django_db

TZ = timezone.get_default_timezone()


@pytest.fixture(autouse=True)
def without_indexing(settings):
    """Hundreds of pages are this test's setup, not its subject: Wagtail's search and reference
    indexes are left alone while it builds them."""
    settings.WAGTAILSEARCH_BACKENDS = {
        name: {**config, "AUTO_UPDATE": False}
        for name, config in settings.WAGTAILSEARCH_BACKENDS.items()
    }
    with disable_reference_index_auto_update():
        yield


def publish(page):
    page.save_revision().publish()
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
    return datetime.datetime(year, month, day, hour, tzinfo=TZ)


def build_demo_like(site_root):
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


def build_generated(site_root, papers=45, meetings=16):
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
            substitute=Member.objects.filter(role=Member.Role.DEPUTY).first(),
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


def print_counts(title, crawler):
    """Objects validated by type: distinct objects / validations, embedded ones included."""
    validations = crawler.validator.counts
    distinct = crawler.validator.unique_counts()
    counts = ", ".join(f"{name} {distinct[name]}/{validations[name]}" for name in sorted(distinct))
    print(f"\n{title}: {counts}")


def test_crawl_demo_like_content(client, site_root):
    build_demo_like(site_root)
    crawler = Crawler(client, base_url())
    lists = crawler.crawl()
    print_counts("demo-like", crawler)

    assert len(lists["organization"]) == 9
    assert len(lists["meeting"]) == 4
    assert len(lists["paper"]) == 3
    # Two of the founding paper's four consultations are public, as are the AG's own.
    assert len(lists["consultation"]) == 4
    assert {item["name"] for item in lists["agendaItem"]} == {"Begrüßung", "Onlinezugangsgesetz"}
    assert all(not obj.get("deleted") for objects in lists.values() for obj in objects)


def test_crawl_generated_content_in_small_pages(client, site_root):
    build_generated(site_root)
    # Some objects leave the API, so that the synchronising crawl meets tombstones too.
    for page in ResultPage.objects.order_by("pk")[:3]:
        page.unpublish()
    Consultation.objects.filter(is_public=True).first().delete()
    Member.objects.filter(role=Member.Role.GUEST, name_is_public=True).first().delete()

    crawler = Crawler(client, base_url())
    lists = crawler.crawl("?limit=7")
    print_counts("generated", crawler)
    assert len(lists["paper"]) == 42
    assert sum(crawler.validator.unique_counts().values()) > 300

    synchronising = Crawler(client, base_url())
    everything = synchronising.crawl("?modified_since=2000-01-01T00:00:00%2B01:00&limit=40")
    print_counts("generated, modified_since", synchronising)
    deleted = [obj for objects in everything.values() for obj in objects if obj.get("deleted")]
    assert {obj["type"].rsplit("/", 1)[1] for obj in deleted} >= {
        "Paper",
        "Consultation",
        "Person",
        "Membership",
    }


@pytest.mark.skipif("load_demo" not in get_commands(), reason="load_demo gibt es noch nicht")
def test_crawl_demo_content(client, site_root):
    call_command("load_demo")
    crawler = Crawler(client, base_url())
    lists = crawler.crawl()
    print_counts("load_demo", crawler)
    assert lists["paper"] and lists["meeting"] and lists["person"]
