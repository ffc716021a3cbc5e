"""The AG's meetings (Sitzungen) with their agenda and attendance."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core import page_outputs
from core.blocks import BodyBlock
from core.listing import KeysFirst, first
from core.page_visibility import public_pages
from workgroup.models.publishing import ApprovalRequiredPage
from workgroup.models.sections import SectionIndexPage

UPCOMING_MEETINGS_SHOWN = 20
PAST_MEETINGS_PER_PAGE = 25
ICAL_PAST_MEETINGS = 30
ICAL_UPCOMING_MEETINGS = 20


class MeetingIndexPage(RoutablePageMixin, SectionIndexPage):
    subpage_types = ["workgroup.MeetingPage"]

    class Meta:
        verbose_name = _("Sitzungskalender")

    def meetings(self):
        return (
            public_pages(MeetingPage.objects.child_of(self).live())
            .defer_streamfields()
            .select_related("location")
            .prefetch_related("agenda_items")
            .order_by("start")
        )

    @path("kalender/", name="ical")
    def ical_feed(self, request):
        # A window around today, so that the feed costs the same however long the AG has met;
        # calendar programs keep the events they already have.
        now = timezone.now()
        meetings = self.meetings()
        past = first(meetings.filter(start__lt=now).order_by("-start"), ICAL_PAST_MEETINGS)
        upcoming = first(meetings.filter(start__gte=now), ICAL_UPCOMING_MEETINGS)
        return page_outputs.render(
            "calendar",
            [*reversed(past), *upcoming],
            request,
            "ag-digitalisierung.ics",
            "AG Digitalisierung Plauen",
            subscription=True,
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        # The listing shows no agenda; only the iCal feed needs it prefetched.
        meetings = self.meetings().prefetch_related(None)
        context["upcoming_meetings"] = first(
            meetings.filter(start__gte=now), UPCOMING_MEETINGS_SHOWN
        )
        # Paginated, so that the calendar costs the same after years of meetings.
        context["past_meetings"] = Paginator(
            KeysFirst(meetings.filter(start__lt=now).order_by("-start")), PAST_MEETINGS_PER_PAGE
        ).get_page(request.GET.get("page"))
        return context


class MeetingPage(ApprovalRequiredPage, RoutablePageMixin, Page):
    class Status(models.TextChoices):
        PLANNED = "planned", _("geplant")
        HELD = "held", _("durchgeführt")
        CANCELLED = "cancelled", _("abgesagt")

    number = models.PositiveIntegerField(_("Sitzungsnummer"), null=True, blank=True)
    start = models.DateTimeField(_("Beginn"))
    end = models.DateTimeField(_("Ende"), null=True, blank=True)
    location = models.ForeignKey(
        "workgroup.Location",
        verbose_name=_("Sitzungsort"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    is_public = models.BooleanField(
        _("öffentliche Sitzung"),
        default=False,
        help_text=_(
            "Bei einer nicht öffentlichen Sitzung sieht die Öffentlichkeit nur Datum, Titel "
            "und Ort; Tagesordnung, Anwesenheit und Dokumente nur AG-Mitglieder."
        ),
    )
    invitation = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("Einladung"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    minutes = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("Niederschrift"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    invited_guests = ParentalManyToManyField(
        "workgroup.Member",
        verbose_name=_("eingeladene themenbezogene Gäste"),
        blank=True,
        related_name="guest_meetings",
        limit_choices_to={"role": "guest"},
    )
    body = StreamField(BodyBlock(), verbose_name=_("Weitere Informationen"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("number"),
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldPanel("location"),
                FieldRowPanel([FieldPanel("status"), FieldPanel("is_public")]),
            ],
            heading=_("Sitzung"),
        ),
        InlinePanel("agenda_items", heading=_("Tagesordnung"), label=_("Tagesordnungspunkt")),
        InlinePanel("attendances", heading=_("Anwesenheit"), label=_("Teilnahme")),
        FieldPanel("invited_guests"),
        MultiFieldPanel([FieldPanel("invitation"), FieldPanel("minutes")], heading=_("Dokumente")),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.FilterField("start"), index.SearchField("body")]
    parent_page_types = ["workgroup.MeetingIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("Sitzung")
        verbose_name_plural = _("Sitzungen")
        # Reading the AG's non-public parts (closed meetings, non-public agenda items and
        # consultation outcomes, withheld names) is a right the roles grant, not a group name
        # the code compares; it sits here because closed meetings are its first reason.
        permissions = [("view_confidential", _("Nicht öffentliche Inhalte der AG lesen"))]

    @path("kalender/", name="ical")
    def ical_event(self, request):
        return page_outputs.render(
            "calendar", [self], request, f"sitzung-{self.pk}.ics", self.title
        )

    def get_context(self, request, *args, **kwargs):
        if not getattr(request, "is_preview", False):
            # Each relation in one query, with the rows it shows, held in memory as a preview
            # holds them; a preview keeps the relations of its revision.
            self.agenda_items = self.agenda_items.select_related("result", "topic_area")
            self.attendances = self.attendances.select_related("member", "substitute")
            self.invited_guests = self.invited_guests.all()
        return super().get_context(request, *args, **kwargs)

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("Das Ende der Sitzung muss nach ihrem Beginn liegen.")})

    def topic_areas(self):
        return {item.topic_area for item in self.agenda_items.all() if item.topic_area_id}


class AgendaItem(Orderable):
    meeting = ParentalKey(MeetingPage, related_name="agenda_items", on_delete=models.CASCADE)
    number = models.CharField(_("Nummer"), max_length=20, help_text=_("z. B. „TOP 3“ oder „3.1“"))
    title = models.CharField(_("Titel"), max_length=300)
    is_public = models.BooleanField(_("öffentlich"), default=False)
    topic_area = models.ForeignKey(
        "workgroup.TopicAreaPage",
        verbose_name=_("Themenfeld"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )
    result = models.ForeignKey(
        "workgroup.ResultPage",
        verbose_name=_("zugehöriges Ergebnis"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )
    decision = models.TextField(_("Beschluss / Ergebnis"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldRowPanel([FieldPanel("number"), FieldPanel("is_public")]),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("topic_area"), FieldPanel("result")]),
        FieldPanel("decision"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("Tagesordnungspunkt")
        verbose_name_plural = _("Tagesordnungspunkte")

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def is_publicly_visible(self):
        """An item is public only within a public meeting: a closed meeting is closed whole."""
        return self.is_public and self.meeting.is_public


class Attendance(Orderable):
    class Status(models.TextChoices):
        PRESENT = "present", _("anwesend")
        EXCUSED = "excused", _("entschuldigt")
        ABSENT = "absent", _("abwesend")
        REPRESENTED = "represented", _("vertreten")

    meeting = ParentalKey(MeetingPage, related_name="attendances", on_delete=models.CASCADE)
    member = models.ForeignKey(
        "workgroup.Member",
        verbose_name=_("Mitglied"),
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    status = models.CharField(
        _("Teilnahme"), max_length=20, choices=Status.choices, default=Status.PRESENT
    )
    substitute = models.ForeignKey(
        "workgroup.Member",
        verbose_name=_("vertreten durch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="substitutions",
        limit_choices_to={"role": "deputy"},
    )

    panels = [FieldRowPanel([FieldPanel("member"), FieldPanel("status"), FieldPanel("substitute")])]

    class Meta(Orderable.Meta):
        verbose_name = _("Teilnahme")
        verbose_name_plural = _("Anwesenheit")

    def clean(self):
        super().clean()
        if self.status == self.Status.REPRESENTED:
            if not self.substitute_id:
                raise ValidationError(
                    {"substitute": _("Bitte geben Sie an, wer das Mitglied vertreten hat.")}
                )
            if self.member_id and self.substitute.faction_id != self.member.faction_id:
                raise ValidationError(
                    {
                        "substitute": _(
                            "Vertreten kann nur ein/e Stellvertreter/in derselben Fraktion."
                        )
                    }
                )
        elif self.substitute_id:
            raise ValidationError(
                {"substitute": _("Eine Vertretung gibt es nur bei der Teilnahme „vertreten“.")}
            )
