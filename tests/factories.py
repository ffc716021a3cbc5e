"""Factories for every model, so that a test builds exactly the data it needs.

Pages need a parent: pass `parent=`; the `site_root` fixture in conftest.py provides the home page.
"""

import datetime

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from factory.django import DjangoModelFactory

from home.models import HomePage, StandardPage
from workgroup import models
from workgroup.editorial.groups import CONFIDENTIAL_READER_GROUPS as ROLE_GROUPS
from workgroup.editorial.roles import ensure_roles


class UserFactory(DjangoModelFactory):
    username = factory.Sequence(lambda n: f"nutzer{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", "geheim-123")

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        # A role group carries its permissions only as setup_roles defines them, as on every
        # installation (`make run` and `make serve` run it).
        if set(extracted or ()) & set(ROLE_GROUPS):
            ensure_roles()
        for name in extracted or []:
            self.groups.add(Group.objects.get_or_create(name=name)[0])
        self.save()


class DocumentFactory(wagtail_factories.DocumentFactory):
    title = factory.Sequence(lambda n: f"Dokument {n}")
    file = factory.django.FileField(filename="dokument.pdf", data=b"%PDF-1.4 test")


class CouncilBodyFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Gremium {n}")
    short_name = factory.Sequence(lambda n: f"G{n}")
    sessions_public_by_default = True

    class Meta:
        model = models.CouncilBody
        django_get_or_create = ("name",)


class LocationFactory(DjangoModelFactory):
    description = "Rathaus Plauen"
    room = factory.Sequence(lambda n: f"Raum {n}")
    street_address = "Unterer Graben 1"
    postal_code = "08523"
    locality = "Plauen"

    class Meta:
        model = models.Location


class FactionFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Fraktion {n}")
    short_name = factory.Sequence(lambda n: f"F{n}")
    is_active = True

    class Meta:
        model = models.Faction


class MemberFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Mitglied {n}")
    function_title = ""
    role = models.Member.Role.GUEST
    start_date = datetime.date(2022, 6, 1)
    name_is_public = True
    email = factory.Sequence(lambda n: f"mitglied{n}@example.org")

    class Meta:
        model = models.Member

    class Params:
        representative = factory.Trait(
            role=models.Member.Role.REPRESENTATIVE, faction=factory.SubFactory(FactionFactory)
        )
        deputy = factory.Trait(
            role=models.Member.Role.DEPUTY, faction=factory.SubFactory(FactionFactory)
        )


class PageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Seite {n}")
    slug = factory.Sequence(lambda n: f"seite-{n}")

    class Meta:
        abstract = True


class HomePageFactory(PageFactory):
    title = "Arbeitsgruppe Digitalisierung"
    intro = "Die Arbeitsgruppe Digitalisierung der Stadt Plauen."

    class Meta:
        model = HomePage


class StandardPageFactory(PageFactory):
    class Meta:
        model = StandardPage


class TopicAreaIndexPageFactory(PageFactory):
    title = "Themenfelder"
    slug = "themenfelder"

    class Meta:
        model = models.TopicAreaIndexPage


class TopicAreaPageFactory(PageFactory):
    title = factory.Sequence(lambda n: f"Themenfeld {n}")
    intro = "Ein Themenfeld der AG."

    class Meta:
        model = models.TopicAreaPage


class MeetingIndexPageFactory(PageFactory):
    title = "Sitzungen"
    slug = "sitzungen"

    class Meta:
        model = models.MeetingIndexPage


class MeetingPageFactory(PageFactory):
    title = factory.Sequence(lambda n: f"{n}. Sitzung der AG Digitalisierung")
    number = factory.Sequence(lambda n: n + 1)
    start = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))
    end = factory.LazyAttribute(lambda m: m.start + datetime.timedelta(hours=2))
    status = models.MeetingPage.Status.PLANNED
    is_public = True

    class Meta:
        model = models.MeetingPage


class AgendaItemFactory(DjangoModelFactory):
    number = factory.Sequence(lambda n: f"TOP {n + 1}")
    title = factory.Sequence(lambda n: f"Tagesordnungspunkt {n}")
    is_public = True

    class Meta:
        model = models.AgendaItem


class AttendanceFactory(DjangoModelFactory):
    member = factory.SubFactory(MemberFactory)
    status = models.Attendance.Status.PRESENT

    class Meta:
        model = models.Attendance


class ResultIndexPageFactory(PageFactory):
    title = "Ergebnisse"
    slug = "ergebnisse"

    class Meta:
        model = models.ResultIndexPage


class ResultPageFactory(PageFactory):
    title = factory.Sequence(lambda n: f"Ergebnis {n}")
    kind = models.ResultPage.Kind.RECOMMENDATION
    reference = factory.Sequence(lambda n: f"AG-DIG/2024/{n:04d}")
    result_date = datetime.date(2024, 3, 1)
    progress = models.ResultPage.Progress.IN_CONSULTATION
    summary = "Eine Zusammenfassung des Ergebnisses."

    class Meta:
        model = models.ResultPage


class ConsultationFactory(DjangoModelFactory):
    body = factory.SubFactory(CouncilBodyFactory)
    date = datetime.date(2024, 4, 13)
    is_public = True
    role = models.Consultation.Role.PRELIMINARY
    outcome = ""

    class Meta:
        model = models.Consultation


class ResultAttachmentFactory(DjangoModelFactory):
    document = factory.SubFactory(DocumentFactory)
    title = ""

    class Meta:
        model = models.ResultAttachment


class ReportIndexPageFactory(PageFactory):
    title = "Halbjahresberichte"
    slug = "berichte"

    class Meta:
        model = models.ReportIndexPage


class ReportPageFactory(PageFactory):
    title = factory.LazyAttribute(lambda r: f"Halbjahresbericht {r.period_half}/{r.period_year}")
    period_year = 2024
    period_half = 1

    class Meta:
        model = models.ReportPage


class MembersPageFactory(PageFactory):
    title = "Mitglieder"
    slug = "mitglieder"

    class Meta:
        model = models.MembersPage
