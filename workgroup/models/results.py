"""The AG's outcomes (Ergebnisse): papers, recommendations, concepts, statements, reports,
each with its Beratungsfolge through the council's bodies."""

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
from core.page_visibility import public_pages
from workgroup.models import register
from workgroup.models.publishing import ApprovalRequiredPage
from workgroup.models.sections import SectionIndexPage


class ResultIndexPage(RoutablePageMixin, SectionIndexPage):
    subpage_types = ["workgroup.ResultPage"]

    class Meta:
        verbose_name = _("Ergebnisregister")

    def results(self):
        return (
            public_pages(ResultPage.objects.child_of(self).live())
            .defer_streamfields()
            .prefetch_related("topic_areas")
            .order_by("-result_date", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        form, results = register.filtered_results(self, request)
        context["filter_form"] = form
        context["filter_querystring"] = form.querystring()
        context["results_page"] = register.paginate(results, request)
        return context

    # The exports are the website's output (core.page_outputs).
    @path("export/csv/", name="export_csv")
    def export_csv(self, request):
        return page_outputs.render("register-csv", self, request)

    @path("export/json/", name="export_json")
    def export_json(self, request):
        return page_outputs.render("register-json", self, request)


class ResultPage(ApprovalRequiredPage, Page):
    class Kind(models.TextChoices):
        RECOMMENDATION = "recommendation", _("Beschlussempfehlung")
        PAPER = "paper", _("Vorlage")
        INFORMATION_PAPER = "information_paper", _("Informationsvorlage")
        STATEMENT = "statement", _("Stellungnahme")
        CONCEPT = "concept", _("Konzept")
        REPORT = "report", _("Bericht")

    class Progress(models.TextChoices):
        IN_PREPARATION = "in_preparation", _("in Vorbereitung")
        IN_CONSULTATION = "in_consultation", _("in Beratung")
        DECIDED = "decided", _("beschlossen")
        IN_IMPLEMENTATION = "in_implementation", _("in Umsetzung")
        IMPLEMENTED = "implemented", _("umgesetzt")
        REJECTED = "rejected", _("abgelehnt")
        DEFERRED = "deferred", _("zurückgestellt")

    kind = models.CharField(_("Art"), max_length=30, choices=Kind.choices)
    reference = models.CharField(
        _("Aktenzeichen / Vorlagennummer"),
        max_length=50,
        unique=True,
        help_text=_("z. B. „AG-DIG/2022/001“ oder die Vorlagennummer des Ratsinformationssystems."),
    )
    result_date = models.DateField(_("Datum"))
    progress = models.CharField(
        _("Bearbeitungsstand"),
        max_length=30,
        choices=Progress.choices,
        default=Progress.IN_PREPARATION,
    )
    topic_areas = ParentalManyToManyField(
        "workgroup.TopicAreaPage",
        verbose_name=_("Themenfelder"),
        blank=True,
        related_name="results_in_area",
    )
    source_meetings = ParentalManyToManyField(
        "workgroup.MeetingPage",
        verbose_name=_("erarbeitet in den Sitzungen"),
        blank=True,
        related_name="results",
    )
    summary = models.TextField(_("Zusammenfassung"), max_length=2000)
    easy_language_summary = models.TextField(
        _("Zusammenfassung in Leichter Sprache"),
        blank=True,
        help_text=_("Optional. Kurze Sätze, bekannte Wörter, ein Gedanke pro Satz."),
    )
    body = StreamField(BodyBlock(), verbose_name=_("Inhalt"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("kind"), FieldPanel("reference")]),
                FieldRowPanel([FieldPanel("result_date"), FieldPanel("progress")]),
                FieldPanel("topic_areas"),
                FieldPanel("source_meetings"),
            ],
            heading=_("Einordnung"),
        ),
        FieldPanel("summary"),
        FieldPanel("easy_language_summary"),
        FieldPanel("body"),
        InlinePanel("consultations", heading=_("Beratungsfolge"), label=_("Beratung")),
        InlinePanel("attachments", heading=_("Anlagen"), label=_("Anlage")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("reference"),
        index.AutocompleteField("reference"),
        index.SearchField("summary"),
        index.SearchField("easy_language_summary"),
        index.SearchField("body"),
        index.FilterField("kind"),
        index.FilterField("progress"),
        index.FilterField("result_date"),
    ]
    parent_page_types = ["workgroup.ResultIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("Ergebnis")
        verbose_name_plural = _("Ergebnisse")
        # Newest first is every listing's order: home and topic pages then read the few rows
        # they show along this index instead of sorting every result.
        indexes = [models.Index(fields=["result_date", "page_ptr"], name="result_date_order")]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_context(self, request, *args, **kwargs):
        if not getattr(request, "is_preview", False):
            # Each relation in one query, with the rows it shows, held in memory as a preview
            # holds them; a preview keeps the relations of its revision.
            self.consultations = self.consultations.select_related("body")
            self.attachments = self.attachments.select_related("document__collection")
            self.topic_areas = self.topic_areas.all()
            self.source_meetings = self.source_meetings.all()
        context = super().get_context(request, *args, **kwargs)
        # A consultation without an outcome is either still to come or not yet written up.
        context["today"] = timezone.localdate()
        return context


class Consultation(Orderable):
    """One step of the Beratungsfolge: a body considers the result on a date."""

    class Role(models.TextChoices):
        PRELIMINARY = "preliminary", _("Vorberatung")
        INFORMATION = "information", _("Kenntnisnahme")
        DECISION = "decision", _("Entscheidung")

    result = ParentalKey(ResultPage, related_name="consultations", on_delete=models.CASCADE)
    body = models.ForeignKey(
        "workgroup.CouncilBody",
        verbose_name=_("Gremium"),
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    date = models.DateField(_("Termin"))
    is_public = models.BooleanField(_("öffentlich"), default=True)
    role = models.CharField(_("Zuständigkeit"), max_length=20, choices=Role.choices)
    agenda_item_number = models.CharField(_("TOP"), max_length=20, blank=True)
    outcome = models.TextField(_("Ergebnis der Beratung"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldRowPanel([FieldPanel("body"), FieldPanel("date"), FieldPanel("is_public")]),
        FieldRowPanel([FieldPanel("role"), FieldPanel("agenda_item_number")]),
        FieldPanel("outcome"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("Beratung")
        verbose_name_plural = _("Beratungsfolge")

    @property
    def is_authoritative(self):
        return self.role == self.Role.DECISION


class ResultAttachment(Orderable):
    result = ParentalKey(ResultPage, related_name="attachments", on_delete=models.CASCADE)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("Dokument"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(
        _("Bezeichnung"),
        max_length=200,
        blank=True,
        help_text=_("Leer lassen, um den Titel des Dokuments zu verwenden."),
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("Anlage")
        verbose_name_plural = _("Anlagen")

    @property
    def display_title(self):
        return self.title or self.document.title
