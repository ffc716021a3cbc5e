"""`manage.py load_demo`: the demo site from the founding paper, built once and only once."""

import datetime
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.html import escape
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Page, Revision, Site

from demo.content import (
    CONFIDENTIAL_COLLECTION,
    CONFIDENTIAL_OUTCOME,
    SEED_REFERENCE,
    pdf_bytes,
    upcoming_meeting_day,
)
from home.models import HomePage, StandardPage
from tests.scenarios import shared_scenario
from workgroup.editorial.groups import MEMBERS_GROUP
from workgroup.models import (
    AgendaItem,
    Attendance,
    Consultation,
    CouncilBody,
    Faction,
    Location,
    MeetingIndexPage,
    MeetingPage,
    Member,
    MembersPage,
    NominationStatus,
    ReportIndexPage,
    ReportPage,
    ResultAttachment,
    ResultIndexPage,
    ResultPage,
    TopicAreaIndexPage,
    TopicAreaPage,
)

PAGE_TYPES = [
    HomePage,
    StandardPage,
    TopicAreaIndexPage,
    TopicAreaPage,
    MeetingIndexPage,
    MeetingPage,
    ResultIndexPage,
    ResultPage,
    ReportIndexPage,
    ReportPage,
    MembersPage,
]
COUNTED_MODELS = [
    Page,
    CouncilBody,
    Location,
    Faction,
    Member,
    AgendaItem,
    Attendance,
    Consultation,
    ResultAttachment,
    Collection,
    CollectionViewRestriction,
    Site,
    Revision,
    Group,
]


def load_demo():
    output = StringIO()
    call_command("load_demo", stdout=output)
    return output.getvalue()


# Built once for the module; each test runs in a savepoint inside its transaction.
demo = shared_scenario(load_demo)


def counts():
    return {
        "users": get_user_model().objects.count(),
        "documents": get_document_model().objects.count(),
        **{model.__name__: model.objects.count() for model in COUNTED_MODELS},
    }


def seed_result():
    return ResultPage.objects.get(reference=SEED_REFERENCE)


def closed_meeting():
    return MeetingPage.objects.get(is_public=False)


def member_client(client):
    client.force_login(get_user_model().objects.get(username="ag-mitglied"))
    return client


def is_login_redirect(response):
    return response.status_code == 302 and "/login/" in response["Location"]


def page_text(response):
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_builds_the_site_under_the_home_page(demo):
    home = HomePage.objects.get()
    site = Site.objects.get(is_default_site=True)
    assert (site.root_page_id, site.hostname, site.port) == (home.pk, "testserver", 80)
    assert not Page.objects.exact_type(Page).filter(depth__gt=1).exists(), "welcome page left"

    for page_type in PAGE_TYPES:
        pages = page_type.objects.all()
        assert pages.exists(), page_type
        for page in pages:
            assert page.live and page.live_revision_id and not page.has_unpublished_changes

    menu = set(home.get_children().in_menu().values_list("title", flat=True))
    assert menu == {"Themenfelder", "Sitzungen", "Ergebnisse", "Halbjahresberichte", "Mitglieder"}
    strategy = TopicAreaPage.objects.get(slug="digitalstrategie")
    assert set(strategy.get_children().values_list("title", flat=True)) == {
        "Onlinezugangsgesetz (OZG)",
        "DigitalPakt Schulen",
        "eGovernment",
        "Smart City",
        "Sonstige IT-Themen der Verwaltung",
    }
    assert home.next_meeting() is not None
    assert "Demo-Inhalte angelegt" in demo


@pytest.mark.django_db
def test_second_run_creates_nothing_and_keeps_passwords(demo):
    editor = get_user_model().objects.get(username="redaktion")
    editor.set_password("selbst-gewählt")
    editor.save()
    before = counts()

    output = StringIO()
    call_command("load_demo", stdout=output)

    assert counts() == before
    assert "bereits angelegt" in output.getvalue()
    editor.refresh_from_db()
    assert editor.check_password("selbst-gewählt")


def restart():
    """What `make run` runs before the server, every time it starts."""
    output = StringIO()
    for command in ("setup_roles", "load_demo", "sync_site"):
        call_command(command, stdout=output)
    return output.getvalue()


@pytest.mark.django_db
def test_a_restart_keeps_what_editors_renamed_edited_and_deleted(demo):
    chair = Member.objects.get(role=Member.Role.CHAIR)
    chair.name = "Erika Beispiel"
    chair.save()
    strategy = TopicAreaPage.objects.get(slug="digitalstrategie")
    strategy.title, strategy.slug = "Unsere Strategie", "strategie"
    strategy.save_revision().publish()
    seed = seed_result()
    seed.summary = "Von der Redaktion gekürzt."
    seed.save_revision().publish()
    smart_city = TopicAreaPage.objects.get(slug="smart-city")
    smart_city.delete()
    planned = MeetingPage.objects.filter(status=MeetingPage.Status.PLANNED).first()
    planned.delete()
    Location.objects.filter(meetings__isnull=True).delete()
    get_user_model().objects.get(username="ag-mitglied").delete()
    before = counts()

    output = restart()
    restart()

    assert counts() == before
    assert "Nicht angelegt" not in output
    assert Member.objects.get(role=Member.Role.CHAIR).name == "Erika Beispiel"
    assert TopicAreaPage.objects.get(pk=strategy.pk).slug == "strategie"
    assert not TopicAreaPage.objects.filter(slug__in=["digitalstrategie", "smart-city"]).exists()
    assert seed_result().summary == "Von der Redaktion gekürzt."
    assert not MeetingPage.objects.filter(slug=planned.slug).exists()
    assert not get_user_model().objects.filter(username="ag-mitglied").exists()


@pytest.mark.django_db
def test_a_database_from_before_the_keys_is_taken_over_not_duplicated(demo):
    """Demo databases built before the stable keys: load_demo adopts what it finds by the old
    natural keys; what an editor renamed meanwhile it reports instead of stopping the start
    (before: a second chair, refused by the one-chair rule, with a traceback)."""
    from demo.models import DemoObject

    DemoObject.objects.all().delete()
    chair = Member.objects.get(role=Member.Role.CHAIR)
    chair.name = "Erika Beispiel"
    chair.save()
    before = counts()

    output = restart()

    assert counts() == before
    assert "member:chair" in output and "Nicht angelegt" in output
    assert Member.objects.filter(role=Member.Role.CHAIR).count() == 1
    restart()
    assert counts() == before


@pytest.mark.django_db
def test_seed_consultation_sequence_is_the_papers_own(demo):
    steps = [(c.body.name, c.date, c.is_public, c.role) for c in seed_result().consultations.all()]
    assert steps == [
        ("Bürgermeisterberatung", datetime.date(2022, 4, 4), False, "preliminary"),
        ("Verwaltungsausschuss", datetime.date(2022, 4, 13), True, "preliminary"),
        ("Ältestenrat", datetime.date(2022, 4, 25), False, "preliminary"),
        ("Stadtrat", datetime.date(2022, 5, 3), True, "information"),
    ]


@pytest.mark.django_db
def test_composition_follows_the_founding_paper(demo):
    for obj in [*Faction.objects.all(), *Member.objects.all()]:
        assert obj.live and obj.live_revision_id, obj
    assert all(m.start_date > datetime.date(2022, 5, 3) for m in Member.objects.all())
    assert set(Member.objects.values_list("name", flat=True)) >= {"N. N.", "Kreisschülerrat"}

    statuses = {s.faction.name: s.code for s in NominationStatus.for_active_factions()}
    assert statuses["SPD/Grüne/Initiative"] == NominationStatus.COMPLETE
    assert NominationStatus.DEPUTY_MISSING in statuses.values()

    guests = Member.objects.filter(role=Member.Role.GUEST)
    assert {g.guest_topic.title for g in guests} == {"DigitalPakt Schulen"}
    assert closed_meeting().attendances.filter(status=Attendance.Status.REPRESENTED).exists()
    assert CouncilBody.objects.get(is_workgroup=True).sessions_public_by_default is False


@pytest.mark.django_db
def test_every_page_renders_its_key_fields(demo, client):
    members_page_fields = [
        "Koordinator Digitalisierung",
        "Fachgebietsleiter IT",
        "vollständig benannt",
        "Stellvertreter/in fehlt",
    ]
    for page in Page.objects.live().filter(depth__gt=1).specific():
        html = page_text(client.get(page.url))
        expected = [escape(page.title)]
        if isinstance(page, MeetingPage):
            expected.append(f"{timezone.localtime(page.start):%d.%m.%Y}")
        elif isinstance(page, ResultPage):
            expected += [page.reference, *(c.body.name for c in page.consultations.all())]
        elif isinstance(page, ReportPage):
            expected.append(str(page.period))
        elif isinstance(page, MembersPage):
            expected += members_page_fields
        for text in expected:
            assert text in html, (page.url, text)


@pytest.mark.django_db
def test_public_never_sees_confidential_content(demo, client):
    closed_html = page_text(client.get(closed_meeting().url))
    for item in closed_meeting().agenda_items.all():
        assert escape(item.title) not in closed_html

    open_meeting = MeetingPage.objects.get(agenda_items__is_public=False, is_public=True)
    closed_item = open_meeting.agenda_items.get(is_public=False)
    assert escape(closed_item.title) not in page_text(client.get(open_meeting.url))

    statement = ResultPage.objects.get(consultations__outcome=CONFIDENTIAL_OUTCOME)
    assert escape(CONFIDENTIAL_OUTCOME) not in page_text(client.get(statement.url))

    minutes = closed_meeting().minutes
    assert minutes.collection.name == CONFIDENTIAL_COLLECTION
    assert is_login_redirect(client.get(minutes.url))


@pytest.mark.django_db
def test_members_see_confidential_content(demo, client):
    client = member_client(client)
    closed_html = page_text(client.get(closed_meeting().url))
    for item in closed_meeting().agenda_items.all():
        assert escape(item.title) in closed_html

    statement = ResultPage.objects.get(consultations__outcome=CONFIDENTIAL_OUTCOME)
    assert escape(CONFIDENTIAL_OUTCOME) in page_text(client.get(statement.url))

    restriction = CollectionViewRestriction.objects.get(collection__name=CONFIDENTIAL_COLLECTION)
    assert restriction.restriction_type == CollectionViewRestriction.GROUPS
    assert restriction.groups.filter(name=MEMBERS_GROUP).exists()
    assert not is_login_redirect(client.get(closed_meeting().minutes.url))


@pytest.mark.django_db
def test_refuses_to_run_where_demo_content_is_not_allowed(settings):
    settings.DEMO_CONTENT_ALLOWED = False
    before = counts()
    with pytest.raises(CommandError, match="DEMO_CONTENT_ALLOWED"):
        call_command("load_demo", stdout=StringIO())
    assert counts() == before


def test_generated_pdf_has_a_consistent_cross_reference_table():
    pdf = pdf_bytes("Einladung (Beispiel)", ["TOP 1 Eröffnung – Begrüßung", ""])
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    xref = int(re.search(rb"startxref\n(\d+)", pdf).group(1))
    assert pdf[xref:].startswith(b"xref")
    offsets = re.findall(rb"(\d{10}) 00000 n", pdf)
    for number, offset in enumerate(offsets, start=1):
        assert pdf[int(offset) :].startswith(b"%d 0 obj" % number)


def test_upcoming_meeting_is_a_tuesday_at_least_two_weeks_ahead():
    today = datetime.date(2026, 11, 25)
    day = upcoming_meeting_day(today)
    assert day.weekday() == 1 and 14 <= (day - today).days < 21


def test_production_settings_leave_the_demo_out():
    """Checked in a fresh interpreter: the settings module reads its environment when loaded."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    from tests.operations.test_operations import PRODUCTION_ENV

    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print('demo' in settings.INSTALLED_APPS, settings.DEMO_CONTENT_ALLOWED)"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={**os.environ, **PRODUCTION_ENV},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert shown == ["False", "False"]
