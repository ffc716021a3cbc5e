"""The half-year report to the Verwaltungsausschuss that the founding paper requires."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from core.blocks import BodyBlock
from core.page_visibility import public_pages
from workgroup.models.meetings import MeetingPage
from workgroup.models.publishing import ApprovalRequiredPage
from workgroup.models.results import ResultPage
from workgroup.models.sections import SectionIndexPage


@dataclass(frozen=True)
class HalfYear:
    year: int
    half: int  # 1 or 2

    @classmethod
    def containing(cls, day):
        return cls(day.year, 1 if day.month <= 6 else 2)

    @property
    def start(self):
        return datetime.date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self):
        return (
            datetime.date(self.year, 6, 30) if self.half == 1 else datetime.date(self.year, 12, 31)
        )

    @property
    def previous(self):
        return HalfYear(self.year - 1, 2) if self.half == 1 else HalfYear(self.year, 1)

    def __str__(self):
        return _("%(half)s. Halbjahr %(year)s") % {"half": self.half, "year": self.year}


class ReportIndexPage(SectionIndexPage):
    subpage_types = ["workgroup.ReportPage"]

    class Meta:
        verbose_name = _("Übersicht Halbjahresberichte")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["reports"] = (
            public_pages(ReportPage.objects.child_of(self).live())
            .defer_streamfields()
            .order_by("-period_year", "-period_half")
        )
        return context


class ReportPage(ApprovalRequiredPage, Page):
    period_year = models.PositiveIntegerField(
        _("Jahr"), validators=[MinValueValidator(2022), MaxValueValidator(2100)]
    )
    period_half = models.PositiveSmallIntegerField(
        _("Halbjahr"), choices=[(1, _("1. Halbjahr")), (2, _("2. Halbjahr"))]
    )
    presented_on = models.DateField(
        _("Vorstellung im Verwaltungsausschuss am"), null=True, blank=True
    )
    summary = StreamField(BodyBlock(), verbose_name=_("Zusammenfassung der Redaktion"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("period_year"), FieldPanel("period_half")]),
                FieldPanel("presented_on"),
            ],
            heading=_("Berichtszeitraum"),
        ),
        FieldPanel("summary"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["workgroup.ReportIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("Halbjahresbericht")
        verbose_name_plural = _("Halbjahresberichte")
        constraints = [
            models.UniqueConstraint(
                fields=["period_year", "period_half"],
                name="one_report_per_half_year",
                violation_error_message=_("Für dieses Halbjahr gibt es bereits einen Bericht."),
            )
        ]

    @property
    def period(self):
        return HalfYear(self.period_year, self.period_half)

    def clean(self):
        super().clean()
        presented_too_early = (
            self.period_year
            and self.period_half
            and self.presented_on
            and self.presented_on < self.period.start
        )
        if presented_too_early:
            raise ValidationError(
                {
                    "presented_on": _(
                        "Der Bericht kann nicht vor Beginn seines Berichtszeitraums "
                        "vorgestellt werden."
                    )
                }
            )

    def meetings_held(self):
        return (
            public_pages(MeetingPage.objects.live())
            .filter(
                status=MeetingPage.Status.HELD,
                start__date__gte=self.period.start,
                start__date__lte=self.period.end,
            )
            .defer_streamfields()
            .order_by("start")
        )

    def results_in_period(self):
        """Results dated in the period, and older ones a body considered in it."""
        in_period = models.Q(result_date__range=(self.period.start, self.period.end)) | models.Q(
            consultations__date__range=(self.period.start, self.period.end)
        )
        return (
            public_pages(ResultPage.objects.live())
            .filter(in_period)
            .distinct()
            .defer_streamfields()
            .order_by("result_date", "pk")
        )

    def progress_overview(self):
        """Count of the period's results by progress status, in the statuses' order."""
        counts = dict.fromkeys(ResultPage.Progress, 0)
        for result in self.results_in_period():
            counts[ResultPage.Progress(result.progress)] += 1
        return [(status.label, count) for status, count in counts.items() if count]


@dataclass
class ReportDue:
    """What the dashboard says about the half-year reports."""

    period: HalfYear
    draft: "ReportPage | None"
    previous_period: HalfYear
    previous_published: bool

    @classmethod
    def on(cls, day=None):
        day = day or timezone.localdate()
        period = HalfYear.containing(day)
        previous = period.previous
        reports = {
            (r.period_year, r.period_half): r
            for r in ReportPage.objects.filter(
                period_year__in={period.year, previous.year}
            ).defer_streamfields()
        }
        current = reports.get((period.year, period.half))
        last = reports.get((previous.year, previous.half))
        return cls(
            period=period,
            draft=current,
            previous_period=previous,
            previous_published=bool(last and last.live),
        )

    @property
    def due_date(self):
        return self.period.end
